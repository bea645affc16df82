package io.sluice.tokenization;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice's {@code tokenizer.json} models give the ids of Hugging Face tokenizers (Rust, through
 * DJL) with {@code add_special_tokens=false} on real text.
 */
class HuggingFaceExactnessTest {
  private static List<SharedCorpus.Group> corpus;

  @TempDir static Path dir;

  @BeforeAll
  static void loadCorpus() {
    corpus = SharedCorpus.load(48_000, 1_200);
  }

  @Test
  void llama3MatchesHuggingFace() throws IOException {
    check("llama3");
  }

  @Test
  void qwen3MatchesHuggingFace() throws IOException {
    check("qwen3");
  }

  /** Writes a bundled tokenizer.json out uncompressed for DJL. */
  static Path bundledJson(String name, Path dir) throws IOException {
    Path json = dir.resolve(name + "-tokenizer.json");
    try (InputStream in =
        new GZIPInputStream(
            HuggingFaceExactnessTest.class.getResourceAsStream(name + "-tokenizer.json.gz"))) {
      Files.write(json, in.readAllBytes());
    }
    return json;
  }

  private static void check(String name) throws IOException {
    Path json = bundledJson(name, dir);
    try (HuggingFaceTokenizer reference =
        HuggingFaceTokenizer.newInstance(
            json, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"))) {
      ExactnessSupport.compare(
          Tokenizers.byName(name),
          text ->
              Arrays.stream(reference.encode(text, false, false).getIds())
                  .mapToInt(l -> (int) l)
                  .toArray(),
          corpus);
      // The same file through the public file loader gives the same tokenizer.
      Tokenizer fromFile = Tokenizers.fromFile(json);
      String sample = corpus.get(0).docs().get(0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          Tokenizers.byName(name).encode(sample), fromFile.encode(sample));
      org.junit.jupiter.api.Assertions.assertEquals(
          Tokenizers.byName(name).vocabularySha256(), fromFile.vocabularySha256());
    }
  }
}
