package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distillation head: learns a known map, and survives a write/read round trip intact. */
class HeadTrainerTest {

  private static final long SEED = Long.getLong("tests.seed", 3L);

  @TempDir Path tmp;

  /** Targets are a fixed random rotation-like map of the inputs, normalised. */
  private static float[][] data(int n, int dIn, int dOut, Random r) {
    float[] a = new float[dOut * dIn];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    float[] x = new float[n * dIn];
    float[] t = new float[n * dOut];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dIn; j++) {
        x[i * dIn + j] = (float) r.nextGaussian();
      }
      OnnxEncoder.normalize(x, i * dIn, dIn);
      for (int k = 0; k < dOut; k++) {
        float s = 0;
        for (int j = 0; j < dIn; j++) {
          s += a[k * dIn + j] * x[i * dIn + j];
        }
        t[i * dOut + k] = (float) Math.tanh(s);
      }
      OnnxEncoder.normalize(t, i * dOut, dOut);
    }
    return new float[][] {x, t};
  }

  @Test
  void linearAndMlpHeadsLearnTheMap() {
    for (int hidden : new int[] {0, 32}) {
      // A seed of its own: the map must not share its random stream with the head initialisation.
      float[][] d = data(600, 16, 12, new Random(SEED + 1000));
      ProjectionHead h = new ProjectionHead(16, hidden, 12, hidden > 0);
      HeadTrainer tr = new HeadTrainer(h, new HeadTrainer.Settings(3e-3, 60, 32, 1, 1, SEED));
      double before = tr.loss(d[0], d[1]);
      double[] curve = tr.train(d[0], d[1]);
      double after = tr.loss(d[0], d[1]);
      assertTrue(
          after < before / 4,
          "hidden=" + hidden + " loss " + before + " -> " + after + " (seed " + SEED + ")");
      assertTrue(curve[curve.length - 1] < curve[0], "training loss must fall");
    }
  }

  @Test
  void headRoundTripsAndRejectsCorruption() throws Exception {
    ProjectionHead h = new ProjectionHead(8, 4, 6, true);
    new HeadTrainer(h, new HeadTrainer.Settings(1e-3, 1, 1, 1, 1, SEED));
    Path f = tmp.resolve("head.bin");
    h.write(f);
    ProjectionHead back = ProjectionHead.read(f);
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] a = h.apply(x);
    float[] b = back.apply(x);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 0f);
    }
    byte[] bytes = Files.readAllBytes(f);
    bytes[40] ^= 1;
    Path bad = Files.write(tmp.resolve("bad.bin"), bytes);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ProjectionHead.read(bad));
    assertTrue(
        e.getMessage().contains("bad.bin") && e.getMessage().contains("CRC32"), e.getMessage());
  }
}
