package io.sluice.filtering.select;

import java.util.List;

/**
 * The loss model of Goyal et al. (CVPR 2024) for training on a mixture of quality pools, exactly as
 * their code ({@code objective.py}, {@code func_effective_utility_aggregation}) computes it.
 *
 * <p>On its (k+1)-th pass a sample of pool i has utility {@code b_i · 2^(−k/τ_i)}. Mixing p pools
 * of N samples each is one pool of {@code N_total = p·N} samples whose utility on pass k is {@code
 * b_eff(k) = (1/p) Σ_i b_i 2^(−k/(p·τ_i))}. With {@code n_k = a·min((k+1)·N_total, S)/Z} and {@code
 * n'_k = a·k·N_total/Z} the samples seen at the end and start of pass k (S samples in all, Z a
 * fixed normaliser), the predicted loss is
 *
 * <pre>  y = d + n_0^b_eff(0) · Π_{k≥1} (n_k / n'_k)^b_eff(k)</pre>
 *
 * which is the paper's {@code y_k = a·n_1^{b_1}·Π(n_j/n_{j−1})^{b_j} + d} with {@code a} folded
 * into the sample scale, as the authors' fits (and so the default parameters) assume.
 *
 * <p><b>Unequal pool sizes</b> (Sluice's extension): pool i weighs by its share of samples, {@code
 * w_i = N_i/N_total}, in place of 1/p; the half-life scaling by p is kept. For equal pools this is
 * exactly the paper's formula.
 *
 * @param a sample-scale coefficient of the power law
 * @param d irreducible loss
 * @param normalizer Z, the sample count the power law is expressed in units of (100,000 in the
 *     paper)
 */
public record ScalingLaw(double a, double d, double normalizer) {

  public ScalingLaw {
    if (!(a > 0) || !(normalizer > 0)) {
      throw new IllegalArgumentException(
          "a and normalizer must be positive, got a=" + a + ", normalizer=" + normalizer);
    }
  }

  /** A pool of the mixture: its parameters and its size in samples. */
  public record Pool(BucketParams params, double samples) {}

  /**
   * Predicted loss after seeing {@code samplesSeen} samples drawn uniformly (in passes) from the
   * union of {@code pools}.
   */
  public double loss(List<Pool> pools, double samplesSeen) {
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("a mixture needs at least one pool");
    }
    double total = 0;
    for (Pool p : pools) {
      total += p.samples();
    }
    if (!(total > 0) || !(samplesSeen > 0)) {
      throw new IllegalArgumentException("pool sizes and samples seen must be positive");
    }
    int fullPasses = (int) Math.floor(samplesSeen / total);
    double loss = 1;
    for (int k = 0; k <= fullPasses; k++) {
      double end = a * Math.min(total * (k + 1), samplesSeen) / normalizer;
      double start = a * total * k / normalizer;
      double bEff = effectiveUtility(pools, total, k);
      if (k == 0) {
        loss = Math.pow(end, bEff);
      } else if (end > start) {
        loss *= Math.pow(end / start, bEff);
      }
    }
    return d + loss;
  }

  /** {@code b_eff(k) = Σ_i w_i b_i 2^(−k/(p·τ_i))} with {@code w_i = N_i/N_total}. */
  static double effectiveUtility(List<Pool> pools, double total, int pass) {
    int p = pools.size();
    double b = 0;
    for (Pool pool : pools) {
      double w = pool.samples() / total;
      b += w * pool.params().b() * Math.pow(0.5, pass / (p * pool.params().tau()));
    }
    return b;
  }
}
