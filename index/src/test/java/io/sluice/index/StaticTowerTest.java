package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static query tower: a query is the normalised sum of its token vectors, training pulls those
 * sums onto their targets, and the file round-trips intact or fails naming itself.
 */
class StaticTowerTest {

  private static final long SEED = Long.getLong("tests.seed", 3L);
  private static final int DIM = 24;

  @TempDir Path tmp;

  private static byte[] tokenizerJson() {
    return OnnxEncoder.read(TowerConfig.ALL_MINILM_L6_V2.tokenizer(), "tokenizer");
  }

  private static StaticEmbeddings randomTower(Random r) {
    byte[] json = tokenizerJson();
    String[] surface;
    try {
      surface = StaticTrainer.surfaceForms(json, "test");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    float[] v = new float[surface.length * DIM];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return new StaticEmbeddings(StaticEmbeddings.tokenizer(json, "test"), v, surface.length, DIM);
  }

  private static final List<String> TEXTS =
      List.of(
          "vitamin d deficiency raises the risk of fractures in older adults",
          "the tides are caused by the gravity of the moon and the sun",
          "stem cells repair damaged heart tissue after an infarction",
          "antibiotics do not help against viral infections such as the flu",
          "sleep deprivation impairs memory consolidation in students",
          "a diet rich in fibre lowers cholesterol levels",
          "smoking during pregnancy lowers birth weight",
          "exercise improves insulin sensitivity in type 2 diabetes");

  @Test
  void surfaceFormsDropSpecialAndUnusedTokensAndContinuationMarkers() throws Exception {
    String[] s = StaticTrainer.surfaceForms(tokenizerJson(), "test");
    assertEquals(30522, s.length);
    assertNull(s[0], "[PAD]");
    assertNull(s[101], "[CLS]");
    assertNull(s[102], "[SEP]");
    assertNull(s[5], "[unused4]");
    try (StaticEmbeddings t = randomTower(new Random(SEED))) {
      long[] ids = t.tokens("the tides");
      assertEquals("the", s[(int) ids[0]]);
      assertTrue(ids.length >= 2, "tides is one or more tokens");
      for (int i = 1; i < ids.length; i++) {
        assertTrue(!s[(int) ids[i]].startsWith("##"), s[(int) ids[i]]);
      }
    }
  }

  @Test
  void aQueryIsTheNormalisedSumOfItsTokenVectors() {
    try (StaticEmbeddings t = randomTower(new Random(SEED))) {
      String q = "the tides the moon";
      long[] ids = t.tokens(q);
      float[] expected = new float[DIM];
      for (long id : ids) {
        for (int k = 0; k < DIM; k++) {
          expected[k] += t.vectors()[(int) id * DIM + k];
        }
      }
      OnnxEncoder.normalize(expected, 0, DIM);
      assertArrayEquals(expected, t.encode(List.of(q)), 1e-6f);
      assertArrayEquals(new float[DIM], t.encode(List.of("")), 0f, "no tokens, zero vector");
    }
  }

  @Test
  void trainingPullsTheSumsOntoTheirTargets() {
    try (StaticEmbeddings truth = randomTower(new Random(SEED + 1000));
        StaticEmbeddings student = randomTower(new Random(SEED))) {
      float[] targets = truth.encode(TEXTS);
      List<long[]> tokens = new ArrayList<>();
      TEXTS.forEach(x -> tokens.add(student.tokens(x)));
      StaticTrainer tr = new StaticTrainer(student, new StaticTrainer.Settings(0.05, 300, 4, SEED));
      double before = tr.loss(tokens, targets);
      double[] curve = tr.train(tokens, targets);
      double after = tr.loss(tokens, targets);
      assertTrue(before > 0.5, "random towers disagree: " + before);
      assertTrue(after < 0.02, "loss " + before + " -> " + after + " (seed " + SEED + ")");
      assertTrue(curve[curve.length - 1] < curve[0], "training loss must fall");
    }
  }

  @Test
  void fileRoundTripsAndCorruptionIsNamed() throws Exception {
    try (StaticEmbeddings t = randomTower(new Random(SEED))) {
      Path file = tmp.resolve(StaticEmbeddings.FILE);
      Path tok = Files.write(tmp.resolve(StaticEmbeddings.TOKENIZER_FILE), tokenizerJson());
      t.write(file);
      try (StaticEmbeddings back = StaticEmbeddings.read(file, tok)) {
        assertEquals(t.vocab(), back.vocab());
        assertArrayEquals(t.vectors(), back.vectors());
        assertArrayEquals(t.encode(TEXTS), back.encode(TEXTS));
      }
      byte[] b = Files.readAllBytes(file);
      b[1000] ^= 1;
      Files.write(file, b);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> StaticEmbeddings.read(file, tok));
      assertTrue(e.getMessage().contains("CRC32") && e.getMessage().contains(file.toString()));
      Files.write(file, java.util.Arrays.copyOf(b, b.length - 4));
      e = assertThrows(IllegalArgumentException.class, () -> StaticEmbeddings.read(file, tok));
      assertTrue(e.getMessage().contains("bytes, expected"), e.getMessage());
    }
  }
}
