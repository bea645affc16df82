package io.sluice.tokenization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base", "llama3", "qwen3"})
  void emptyStringGivesNoTokens(String name) {
    Tokenizer t = Tokenizers.byName(name);
    assertArrayEquals(new int[0], t.encode(""));
    assertEquals("", t.decode(new int[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base", "llama3", "qwen3"})
  void fiveMegabyteWordFinishesInBoundedTime(String name) {
    Tokenizer t = Tokenizers.byName(name);
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder(5 << 20);
    while (sb.length() < 5 << 20) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    String word = sb.toString();
    int[] ids =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> t.encode(word), "5 MB word took too long");
    assertTrue(ids.length > 0 && ids.length < word.length());
    assertEquals(word, t.decode(ids));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base", "llama3", "qwen3"})
  void loneSurrogatesDoNotCrashAndEncodeAsReplacementCharacters(String name) {
    Tokenizer t = Tokenizers.byName(name);
    // Upstream normalisation repairs these; here they must still neither throw nor vanish.
    int[] ids = t.encode("a\uD800b\uDFFFc");
    assertEquals("a\uFFFDb\uFFFDc", t.decode(ids));
  }

  @Test
  void fiftyMegabyteDocumentOfProseEncodes() {
    Tokenizer t = Tokenizers.byName("cl100k_base");
    String para =
        "The river valley was settled by farmers who kept careful records of each harvest. ";
    String doc = para.repeat((50 << 20) / para.length());
    int[] ids =
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> t.encode(doc), "50 MB document");
    assertTrue(ids.length > doc.length() / 8, "about 4-5 chars a token: " + ids.length);
    assertEquals(doc, t.decode(ids));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base", "llama3", "qwen3"})
  void roundTripsAndKnowsItsVocabulary(String name) {
    Tokenizer t = Tokenizers.byName(name);
    String text = "Hello, wörld! 你好 🙂\n\n\tcode(x) { return 42; }  ";
    assertEquals(text, t.decode(t.encode(text)));
    assertEquals(64, t.vocabularySha256().length());
    assertEquals(name, t.name());
    assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {t.vocabularySize()}));
  }

  @Test
  void vocabularySizesIncludeSpecialTokens() {
    assertEquals(100277, Tokenizers.byName("cl100k_base").vocabularySize());
    assertEquals(200019, Tokenizers.byName("o200k_base").vocabularySize());
    assertEquals(128256, Tokenizers.byName("llama3").vocabularySize());
    assertEquals(151669, Tokenizers.byName("qwen3").vocabularySize());
    assertArrayEquals(
        new int[] {15339, 1917}, Tokenizers.byName("cl100k_base").encode("hello world"));
  }

  @Test
  void endOfTextIdsAreTheModelsOwn() {
    assertEquals(100257, Tokenizers.byName("cl100k_base").endOfTextId());
    assertEquals(199999, Tokenizers.byName("o200k_base").endOfTextId());
    assertEquals(128001, Tokenizers.byName("llama3").endOfTextId());
    assertEquals(151643, Tokenizers.byName("qwen3").endOfTextId());
  }

  @Test
  void isThreadSafe() throws Exception {
    Tokenizer t = Tokenizers.byName("cl100k_base");
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(200) + "Grüße 日本語";
    int[] expected = t.encode(text);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] f = new Future<?>[8];
      for (int i = 0; i < f.length; i++) {
        f[i] =
            pool.submit(
                () -> {
                  for (int k = 0; k < 50; k++) {
                    assertArrayEquals(expected, t.encode(text));
                  }
                });
      }
      for (Future<?> x : f) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.byName("gpt5"));
    assertTrue(e.getMessage().contains("gpt5"), e.getMessage());
  }

  @Test
  void corruptTokenizerJsonNamesFileAndField() throws IOException {
    String vocab = byteVocab();
    assertRefused("{\"model\":{\"type\":\"WordPiece\",\"vocab\":{}}}", "model.type");
    assertRefused("{\"added_tokens\":[]}", "model");
    assertRefused(model(vocab, "[\"Ġ q\"]"), "model.merges[0]");
    assertRefused(
        model(vocab.replace("\"a\":", "\"a\":4294967296,\"a_\":"), "[]"), "model.vocab[\"a\"]");
    assertRefused(model(vocab, "[\"a b c\"]"), "model.merges[0]");
    assertRefused(model(vocab.replace("\"Ā\":", "\"dropped\":"), "[]"), "byte 0x00");
    assertRefused(
        model(vocab, "[]")
            .replace(
                "\"type\":\"ByteLevel\",\"add_prefix_space\":false", "\"type\":\"Whitespace\""),
        "pre_tokenizer");
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"model\": {", StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> Tokenizers.fromFile(notJson));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
  }

  @Test
  void minimalTokenizerJsonWorks() throws IOException {
    Path file = dir.resolve("tiny.json");
    Files.writeString(
        file, model(byteVocab(), "[\"h e\", [\"he\", \"l\"]]"), StandardCharsets.UTF_8);
    Tokenizer t = Tokenizers.fromFile(file);
    assertArrayEquals(new int[] {257, 'o'}, t.encode("helo"));
    assertEquals(258, t.vocabularySize());
    assertEquals("helo", t.decode(t.encode("helo")));
  }

  private void assertRefused(String json, String field) throws IOException {
    Path file = dir.resolve("tokenizer-" + Math.abs(json.hashCode()) + ".json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tokenizers.fromFile(file), json);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  /** All 256 byte-level characters as ids 0..255, plus "he" and "hel". */
  private static String byteVocab() {
    StringBuilder sb = new StringBuilder("{");
    for (int b = 0; b < 256; b++) {
      String c = ByteLevel.charOf(b);
      String escaped = c.equals("\"") ? "\\\"" : c.equals("\\") ? "\\\\" : c;
      sb.append('"').append(escaped).append("\":").append(b).append(',');
    }
    return sb.append("\"he\":256,\"hel\":257}").toString();
  }

  private static String model(String vocab, String merges) {
    return "{\"model\":{\"type\":\"BPE\",\"vocab\":"
        + vocab
        + ",\"merges\":"
        + merges
        + "},\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":true}}";
  }
}
