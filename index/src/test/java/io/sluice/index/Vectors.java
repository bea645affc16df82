package io.sluice.index;

import java.util.Random;

/** Synthetic clustered unit vectors and a brute-force search, for the FAISS tests. */
final class Vectors {

  private Vectors() {}

  /** n unit vectors around {@code clusters} random centres (centres from the same seed). */
  static float[] clustered(Random r, int n, int dim, int clusters) {
    return clustered(r, n, dim, clusters, 0.3f);
  }

  /**
   * As {@link #clustered(Random, int, int, int)} with Gaussian noise of standard deviation {@code
   * noise} per dimension around centres drawn from N(0, 1) (0.5 is the benchmark's setting).
   */
  static float[] clustered(Random r, int n, int dim, int clusters, float noise) {
    Random centres = new Random(12345);
    float[][] c = new float[clusters][dim];
    for (float[] row : c) {
      for (int j = 0; j < dim; j++) {
        row[j] = (float) centres.nextGaussian();
      }
    }
    float[] out = new float[n * dim];
    for (int i = 0; i < n; i++) {
      float[] centre = c[r.nextInt(clusters)];
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        float v = centre[j] + noise * (float) r.nextGaussian();
        out[i * dim + j] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dim; j++) {
        out[i * dim + j] *= inv;
      }
    }
    return out;
  }

  /** Recall@k of {@code got} against {@code truth}: both k labels per query, row-major. */
  static double recall(long[] got, long[] truth, int k) {
    long hits = 0;
    for (int q = 0; q < truth.length / k; q++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          if (got[q * k + j] == truth[q * k + i]) {
            hits++;
            break;
          }
        }
      }
    }
    return (double) hits / truth.length;
  }

  static int bruteForceTop1(float[] base, float[] queries, int q, int dim) {
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < base.length / dim; i++) {
      double s = 0;
      for (int j = 0; j < dim; j++) {
        s += base[i * dim + j] * queries[q * dim + j];
      }
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return best;
  }
}
