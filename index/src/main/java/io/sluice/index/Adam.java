package io.sluice.index;

/**
 * Adam's moment estimates for one parameter array (β = 0.9/0.999, ε = 1e-8), updated in place;
 * the optimiser of the distilled query towers ({@link HeadTrainer}, {@link StaticTrainer}). A step
 * may touch the whole array or only some ranges of it (lazy Adam for sparse gradients). Not
 * thread-safe.
 */
final class Adam {
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;

  private final float[] params;
  private final float[] m;
  private final float[] v;

  Adam(float[] params) {
    this.params = params;
    this.m = new float[params.length];
    this.v = new float[params.length];
  }

  /** The bias-corrected step size of step {@code t} (1-based) for learning rate {@code lr}. */
  static float stepSize(double lr, long t) {
    return (float) (lr * Math.sqrt(1 - Math.pow(B2, t)) / (1 - Math.pow(B1, t)));
  }

  /** Moves {@code params[from, to)} against {@code grad[from, to)} by {@code stepSize}. */
  void update(float[] grad, int from, int to, float stepSize) {
    for (int j = from; j < to; j++) {
      float g = grad[j];
      m[j] = (float) (B1 * m[j] + (1 - B1) * g);
      v[j] = (float) (B2 * v[j] + (1 - B2) * g * g);
      params[j] -= stepSize * m[j] / ((float) Math.sqrt(v[j]) + 1e-8f);
    }
  }
}
