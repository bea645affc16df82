package io.sluice.filtering.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimates {@code (a, b_i, τ_i)} from measured training runs by grid search, as the paper's {@code
 * grid_search.py} does: for each candidate {@code a} (shared by all buckets) and each bucket, the
 * {@code (b, τ)} of least squared error between measured and predicted loss on that bucket's runs;
 * the {@code a} of least total error wins. {@code d} is given. Deterministic.
 */
public final class ScalingFitter {

  /**
   * One measurement: a model trained on {@code samplesSeen} samples drawn in passes from a pool of
   * {@code poolSamples} samples of one bucket reached {@code loss}.
   */
  public record Measurement(int bucket, double samplesSeen, double poolSamples, double loss) {}

  /** The fitted parameters and their total squared error. */
  public record Fit(double a, double d, List<BucketParams> buckets, double squaredError) {}

  private final double[] aGrid;
  private final double[] bGrid;
  private final double[] tauGrid;
  private final double normalizer;

  /**
   * The paper's grid: a in [1e-4, 0.2], b in [-0.5, -0.005], τ in [1, 10], {@code steps} values
   * each.
   */
  public ScalingFitter(int steps, double normalizer) {
    this.aGrid = linspace(1e-4, 0.2, steps);
    this.bGrid = linspace(-0.005, -0.5, steps);
    this.tauGrid = linspace(1, 10, steps);
    this.normalizer = normalizer;
  }

  public Fit fit(List<Measurement> measurements, double d) {
    Map<Integer, List<Measurement>> byBucket = new TreeMap<>();
    for (Measurement m : measurements) {
      byBucket.computeIfAbsent(m.bucket(), k -> new ArrayList<>()).add(m);
    }
    if (byBucket.isEmpty()) {
      throw new IllegalArgumentException("no measurements to fit");
    }
    Fit best = null;
    for (double a : aGrid) {
      ScalingLaw law = new ScalingLaw(a, d, normalizer);
      List<BucketParams> params = new ArrayList<>();
      double total = 0;
      for (Map.Entry<Integer, List<Measurement>> e : byBucket.entrySet()) {
        double bestErr = Double.POSITIVE_INFINITY;
        BucketParams bestParams = null;
        for (double b : bGrid) {
          for (double tau : tauGrid) {
            BucketParams p = new BucketParams(e.getKey(), b, tau);
            double err = 0;
            for (Measurement m : e.getValue()) {
              double diff =
                  law.loss(List.of(new ScalingLaw.Pool(p, m.poolSamples())), m.samplesSeen())
                      - m.loss();
              err += diff * diff;
            }
            if (err < bestErr) {
              bestErr = err;
              bestParams = p;
            }
          }
        }
        params.add(bestParams);
        total += bestErr;
      }
      if (best == null || total < best.squaredError()) {
        best = new Fit(a, d, List.copyOf(params), total);
      }
    }
    return best;
  }

  static double[] linspace(double from, double to, int steps) {
    if (steps < 2) {
      throw new IllegalArgumentException("a grid needs at least 2 steps, got " + steps);
    }
    double[] v = new double[steps];
    for (int i = 0; i < steps; i++) {
      v[i] = from + (to - from) * i / (steps - 1);
    }
    return v;
  }
}
