package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Passage boundaries for web text, unspaced scripts and code; offsets point back into the text. */
class PassageSplitterTest {

  private final PassageSplitter split = new PassageSplitter(10, 8);

  private static void offsetsPointBack(String text, List<Passage> ps) {
    for (Passage p : ps) {
      assertEquals(text.substring(p.start(), p.end()), p.text());
      assertEquals(p.docId() + "#" + p.ordinal(), p.id());
    }
  }

  @Test
  void webTextIsCutEveryNWordsAndAShortTailIsMerged() {
    String text = "w ".repeat(31).trim(); // 31 words: 10 + 10 + 11 (tail of 1 merged)
    List<Passage> ps = split.split("d", "T", text, "web", "en", null, null, null);
    assertEquals(3, ps.size());
    assertEquals(11, ps.get(2).text().split(" ").length);
    offsetsPointBack(text, ps);
    assertEquals("T w w w w w w w w w w", ps.get(0).contents());
  }

  @Test
  void unspacedScriptsAreCutByCharacters() {
    String text = "这条河谷的历史悠久".repeat(5).substring(0, 44); // window 20
    List<Passage> ps = split.split("z", null, text, "web", "zh", null, null, null);
    assertEquals(2, ps.size(), "20 + 24 (a 4-char tail is merged)");
    offsetsPointBack(text, ps);
  }

  @Test
  void codeIsCutAtTopLevelDefinitions() {
    StringBuilder b = new StringBuilder("import os\n");
    for (int f = 0; f < 4; f++) {
      b.append("def f").append(f).append("(x):\n");
      for (int i = 0; i < 4; i++) {
        b.append("    x = x + ").append(i).append('\n');
      }
    }
    String text = b.toString();
    List<Passage> ps = split.split("c", null, text, "code", "python", null, null, "a.py");
    assertTrue(ps.size() >= 2, "several passages: " + ps.size());
    for (Passage p : ps.subList(1, ps.size())) {
      assertTrue(p.text().startsWith("def f"), "cut at a definition: " + p.text());
    }
    offsetsPointBack(text, ps);
    assertEquals(text, String.join("", ps.stream().map(Passage::text).toList()));
  }

  @Test
  void aLongDefinitionIsCutByLines() {
    String text = "def big():\n" + "    pass\n".repeat(30);
    List<Passage> ps = split.split("c", null, text, "code", "python", null, null, null);
    assertEquals(4, ps.size());
    assertEquals(text, String.join("", ps.stream().map(Passage::text).toList()));
  }
}
