package io.sluice.ingest.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  @Test
  void cleanTextIsReturnedAsIs() {
    String s = "Grüße, 世界 \uD83D\uDE00\n\ttab";
    assertSame(s, TextNormalizer.normalize(s).text());
  }

  @Test
  void repairsSurrogatesControlsLineEndingsAndComposesNfc() {
    TextNormalizer.Normalized n = TextNormalizer.normalize("a\uD800b\u0000c\r\nd\re\u0085 e\u0301");
    assertEquals("a\uFFFDbc\nd\ne \u00e9", n.text());
    assertEquals(3, n.repaired());
  }

  @Test
  void utf8DecodingCountsReplacements() {
    byte[] bytes = {'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0xC3};
    Utf8.Decoded d = Utf8.decode(bytes, 0, bytes.length);
    assertEquals("ok\u00e9\uFFFD\uFFFD", d.text());
    assertEquals(2, d.replaced());
    assertEquals("é", Utf8.decode("é".getBytes(StandardCharsets.UTF_8), 0, 2).text());
  }
}
