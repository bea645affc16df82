package io.sluice.index;

import java.util.Random;

/**
 * Trains a {@link ProjectionHead} with {@link Adam} on the ScalingNote distillation loss: for a
 * student output y and a teacher target t, {@code L = wMse · mean((y − t)²) + wCos · (1 − cos(y,
 * t))}. Gradients are written out by hand (a linear layer, or linear–ReLU–linear); plain Java, one
 * thread, deterministic for a seed.
 *
 * <p>Not thread-safe; mutates the head it trains.
 */
final class HeadTrainer {

  /** Training settings (Adam with β = 0.9/0.999, ε = 1e-8). */
  record Settings(double lr, int epochs, int batch, double wMse, double wCos, long seed) {
    Settings {
      if (lr <= 0 || epochs < 1 || batch < 1 || wMse < 0 || wCos < 0 || wMse + wCos == 0) {
        throw new IllegalArgumentException(
            "bad training settings: lr="
                + lr
                + " epochs="
                + epochs
                + " batch="
                + batch
                + " wMse="
                + wMse
                + " wCos="
                + wCos);
      }
    }
  }

  private final ProjectionHead head;
  private final Settings s;
  private final float[][] params;
  private final float[][] grads;
  private final Adam[] adam;
  private long step;

  HeadTrainer(ProjectionHead head, Settings s) {
    this.head = head;
    this.s = s;
    this.params =
        head.mlp
            ? new float[][] {head.w1, head.b1, head.w2, head.b2}
            : new float[][] {head.w1, head.b1};
    this.grads = new float[params.length][];
    this.adam = new Adam[params.length];
    for (int i = 0; i < params.length; i++) {
      grads[i] = new float[params[i].length];
      adam[i] = new Adam(params[i]);
    }
    init(new Random(s.seed()));
  }

  /** He/Xavier-style random weights, zero biases. */
  private void init(Random r) {
    int rows1 = head.mlp ? head.hidden : head.dOut;
    double std1 = Math.sqrt((head.mlp ? 2.0 : 1.0) / head.dIn);
    for (int i = 0; i < rows1 * head.dIn; i++) {
      head.w1[i] = (float) (r.nextGaussian() * std1);
    }
    if (head.mlp) {
      double std2 = Math.sqrt(1.0 / head.hidden);
      for (int i = 0; i < head.w2.length; i++) {
        head.w2[i] = (float) (r.nextGaussian() * std2);
      }
    }
  }

  /**
   * Runs all epochs over (x, t) pairs in a seeded shuffled order.
   *
   * @param x n × dIn student encoder outputs
   * @param t n × dOut teacher targets
   * @return the mean training loss of each epoch
   */
  double[] train(float[] x, float[] t) {
    int n = x.length / head.dIn;
    if (t.length != n * head.dOut) {
      throw new IllegalArgumentException(
          "dimension mismatch: " + n + " inputs vs " + t.length / head.dOut + " targets");
    }
    Random r = new Random(s.seed() + 1);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] curve = new double[s.epochs()];
    for (int e = 0; e < s.epochs(); e++) {
      EpochOrder.shuffle(order, r);
      double total = 0;
      for (int from = 0; from < n; from += s.batch()) {
        int to = Math.min(n, from + s.batch());
        for (float[] g : grads) {
          java.util.Arrays.fill(g, 0f);
        }
        for (int b = from; b < to; b++) {
          total += backward(x, order[b] * head.dIn, t, order[b] * head.dOut, 1.0f / (to - from));
        }
        adam();
      }
      curve[e] = total / n;
    }
    return curve;
  }

  /** Mean loss over pairs without training. */
  double loss(float[] x, float[] t) {
    int n = x.length / head.dIn;
    float[] h = new float[Math.max(1, head.hidden)];
    float[] y = new float[head.dOut];
    double total = 0;
    for (int i = 0; i < n; i++) {
      head.forward(x, i * head.dIn, h, y, 0);
      total += lossAndGradient(y, t, i * head.dOut, null);
    }
    return total / n;
  }

  /** Loss of one pair; when dy is not null, writes dL/dy into it. */
  private double lossAndGradient(float[] y, float[] t, int tOff, float[] dy) {
    int d = head.dOut;
    double mse = 0;
    double yy = 0;
    double tt = 0;
    double yt = 0;
    for (int k = 0; k < d; k++) {
      double diff = y[k] - t[tOff + k];
      mse += diff * diff;
      yy += y[k] * y[k];
      tt += t[tOff + k] * t[tOff + k];
      yt += y[k] * t[tOff + k];
    }
    mse /= d;
    double ny = Math.sqrt(Math.max(yy, 1e-12));
    double nt = Math.sqrt(Math.max(tt, 1e-12));
    double cos = yt / (ny * nt);
    if (dy != null) {
      for (int k = 0; k < d; k++) {
        double dMse = 2 * (y[k] - t[tOff + k]) / d;
        double dCos = t[tOff + k] / (ny * nt) - cos * y[k] / (ny * ny);
        dy[k] = (float) (s.wMse() * dMse - s.wCos() * dCos);
      }
    }
    return s.wMse() * mse + s.wCos() * (1 - cos);
  }

  private double backward(float[] x, int xOff, float[] t, int tOff, float scale) {
    int dIn = head.dIn;
    int dOut = head.dOut;
    float[] h = new float[Math.max(1, head.hidden)];
    float[] y = new float[dOut];
    float[] dy = new float[dOut];
    head.forward(x, xOff, h, y, 0);
    double loss = lossAndGradient(y, t, tOff, dy);
    for (int k = 0; k < dOut; k++) {
      dy[k] *= scale;
    }
    if (!head.mlp) {
      outer(grads[0], grads[1], dy, x, xOff, dOut, dIn);
      return loss;
    }
    int hid = head.hidden;
    outer(grads[2], grads[3], dy, h, 0, dOut, hid);
    float[] dh = new float[hid];
    for (int r = 0; r < dOut; r++) {
      float g = dy[r];
      int w = r * hid;
      for (int c = 0; c < hid; c++) {
        dh[c] += head.w2[w + c] * g;
      }
    }
    for (int c = 0; c < hid; c++) {
      if (h[c] <= 0) {
        dh[c] = 0; // ReLU
      }
    }
    outer(grads[0], grads[1], dh, x, xOff, hid, dIn);
    return loss;
  }

  /** dW += g ⊗ a, db += g. */
  private static void outer(
      float[] dW, float[] db, float[] g, float[] a, int aOff, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      float gr = g[r];
      if (gr == 0) {
        continue;
      }
      db[r] += gr;
      int w = r * cols;
      for (int c = 0; c < cols; c++) {
        dW[w + c] += gr * a[aOff + c];
      }
    }
  }

  private void adam() {
    float size = Adam.stepSize(s.lr(), ++step);
    for (int i = 0; i < params.length; i++) {
      adam[i].update(grads[i], 0, params[i].length, size);
    }
  }
}
