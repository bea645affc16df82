package io.sluice.index;

import java.util.Random;

/** Synthetic clustered unit vectors and a brute-force search, for the FAISS tests. */
final class Vectors {

  private Vectors() {}

  /** n unit vectors around {@code clusters} random centres (centres from the same seed). */
  static float[] clustered(Random r, int n, int dim, int clusters) {
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
        float v = centre[j] + 0.3f * (float) r.nextGaussian();
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
