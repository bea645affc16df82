package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX towers on the bundled models: meaning, batching invariance, truncation, bad files. */
class OnnxEncoderTest {

  private static OnnxEncoder small;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    small = new OnnxEncoder(TowerConfig.ALL_MINILM_L6_V2, 2, "cpu");
  }

  @AfterAll
  static void close() {
    small.close();
  }

  private static double dot(float[] v, int a, int b, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      s += v[a * d + i] * v[b * d + i];
    }
    return s;
  }

  @Test
  void relatedTextsAreCloserThanUnrelatedOnes() {
    for (TowerConfig c : List.of(TowerConfig.ALL_MINILM_L6_V2, TowerConfig.BGE_SMALL_EN_V15)) {
      try (OnnxEncoder e =
          c == TowerConfig.ALL_MINILM_L6_V2 ? null : new OnnxEncoder(c, 2, "cpu")) {
        OnnxEncoder enc = e == null ? small : e;
        assertEquals(384, enc.dim());
        float[] v =
            enc.encodePassages(
                List.of(
                    "The cat sat on the mat and purred.",
                    "A kitten was sleeping on the rug.",
                    "Quarterly revenue of the bank fell by four percent."),
                8);
        int d = enc.dim();
        assertEquals(1.0, dot(v, 0, 0, d), 1e-4, c.name() + ": unit length");
        assertTrue(
            dot(v, 0, 1, d) > dot(v, 0, 2, d) + 0.1,
            c.name() + ": cat/kitten " + dot(v, 0, 1, d) + " vs cat/bank " + dot(v, 0, 2, d));
      }
    }
  }

  @Test
  void paddingInABatchDoesNotChangeEmbeddings() {
    List<String> texts =
        List.of(
            "short",
            "a somewhat longer sentence about proteins and their folding in the cell",
            "medium length text here");
    float[] batched = small.encodePassages(texts, 3);
    int d = small.dim();
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = small.encodePassages(List.of(texts.get(i)), 1);
      for (int j = 0; j < d; j++) {
        assertEquals(alone[j], batched[i * d + j], 1e-4, "text " + i + " dim " + j);
      }
    }
  }

  @Test
  void longInputsAreTruncatedAndCounted() {
    long before = small.truncated();
    small.encodePassages(List.of("word ".repeat(2000), "short text"), 2);
    assertEquals(before + 1, small.truncated());
  }

  @Test
  void missingOrCorruptModelFilesFailNamingTheFile() throws Exception {
    Path missing = tmp.resolve("nope.onnx");
    TowerConfig m =
        TowerConfig.of(missing.toString(), tmp.resolve("tokenizer.json").toString(), "mean");
    IllegalArgumentException e1 =
        assertThrows(IllegalArgumentException.class, () -> new OnnxEncoder(m, 1, "cpu"));
    assertTrue(
        e1.getMessage().contains("tokenizer.json") || e1.getMessage().contains("nope.onnx"),
        e1.getMessage());

    Path corrupt = Files.write(tmp.resolve("corrupt.onnx"), new byte[] {1, 2, 3, 4, 5});
    Path tok = tmp.resolve("tok.json");
    try (var in = OnnxEncoder.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      Files.copy(in, tok);
    }
    TowerConfig c = TowerConfig.of(corrupt.toString(), tok.toString(), "mean");
    IllegalArgumentException e2 =
        assertThrows(IllegalArgumentException.class, () -> new OnnxEncoder(c, 1, "cpu"));
    assertTrue(e2.getMessage().contains("corrupt.onnx"), e2.getMessage());

    Path badTok = Files.writeString(tmp.resolve("bad-tokenizer.json"), "{not json");
    TowerConfig t =
        new TowerConfig(
            "x", "classpath:/all-minilm-l6-v2.onnx", badTok.toString(), "mean", "", "", 256);
    IllegalArgumentException e3 =
        assertThrows(IllegalArgumentException.class, () -> new OnnxEncoder(t, 1, "cpu"));
    assertTrue(e3.getMessage().contains("bad-tokenizer.json"), e3.getMessage());
  }
}
