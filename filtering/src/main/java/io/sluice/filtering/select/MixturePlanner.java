package io.sluice.filtering.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the mixture for a token budget: for each k, the top-k buckets by utility (most negative b
 * first) mixed uniformly, with the loss {@link ScalingLaw} predicts at the budget; k* is the k of
 * least predicted loss. Small budgets favour a few top buckets seen once; large budgets favour more
 * buckets, since repeating a small pool loses utility. Stateless.
 */
public final class MixturePlanner {

  /** A bucket of the scored data: its id and its size in tokens. */
  public record BucketSize(int bucket, double tokens) {}

  /** The predicted loss of mixing the top k buckets, and how many tokens and epochs that is. */
  public record Candidate(
      int k, List<Integer> buckets, double tokens, double epochs, double predictedLoss) {}

  /** The plan: every candidate, and the chosen one. */
  public record Plan(double budgetTokens, List<Candidate> candidates, Candidate best) {}

  private final SelectionConfig config;

  public MixturePlanner(SelectionConfig config) {
    this.config = config;
  }

  /**
   * True when the budget is where the power law means something: {@code a·S/Z > 1} (S samples).
   * Below it, {@code (a·S/Z)^b} grows as b gets more negative and the ranking of mixtures inverts;
   * such budgets lie outside any fit's data.
   */
  public boolean inFittedRange(double budgetTokens) {
    ScalingLaw law = config.law();
    return law.a() * (budgetTokens / config.tokensPerSample()) / law.normalizer() > 1;
  }

  public Plan plan(List<BucketSize> sizes, double budgetTokens) {
    if (!(budgetTokens > 0)) {
      throw new IllegalArgumentException("token budget must be positive, got " + budgetTokens);
    }
    List<BucketSize> usable = sizes.stream().filter(s -> s.tokens() > 0).toList();
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no bucket has any tokens: " + sizes);
    }
    List<BucketSize> byUtility = new ArrayList<>(usable);
    byUtility.sort(
        Comparator.comparingDouble((BucketSize s) -> config.bucket(s.bucket()).b())
            .thenComparingInt(BucketSize::bucket));
    double samplesSeen = budgetTokens / config.tokensPerSample();
    List<Candidate> candidates = new ArrayList<>();
    Candidate best = null;
    for (int k = 1; k <= byUtility.size(); k++) {
      List<ScalingLaw.Pool> pools = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      double tokens = 0;
      for (BucketSize s : byUtility.subList(0, k)) {
        pools.add(
            new ScalingLaw.Pool(config.bucket(s.bucket()), s.tokens() / config.tokensPerSample()));
        ids.add(s.bucket());
        tokens += s.tokens();
      }
      double loss = config.law().loss(pools, samplesSeen);
      Candidate c = new Candidate(k, List.copyOf(ids), tokens, budgetTokens / tokens, loss);
      candidates.add(c);
      if (best == null || loss < best.predictedLoss()) {
        best = c;
      }
    }
    return new Plan(budgetTokens, List.copyOf(candidates), best);
  }
}
