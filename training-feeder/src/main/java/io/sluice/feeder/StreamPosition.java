package io.sluice.feeder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Walks the global sequence order across passes: pass e holds {@code plan(e).sequences(seqLen)}
 * sequences, and the sequence after the last of pass e is the first of pass e+1. Keeps the few most
 * recent pass plans; one per stream, not thread-safe.
 */
final class StreamPosition {
  private static final int PLANS_KEPT = 2;

  private final PlanSource plans;
  private final long seed;
  private final int seqLen;
  private final Map<Long, PassPlan> recent = new LinkedHashMap<>(4, 0.75f, true);

  /** Where pass plans come from (shared by the streams of one server). */
  interface PlanSource {
    PassPlan plan(long seed, long epoch);
  }

  StreamPosition(PlanSource plans, long seed, int seqLen) {
    this.plans = plans;
    this.seed = seed;
    this.seqLen = seqLen;
  }

  PassPlan plan(long epoch) {
    PassPlan p = recent.get(epoch);
    if (p == null) {
      p = plans.plan(seed, epoch);
      recent.put(epoch, p);
      if (recent.size() > PLANS_KEPT) {
        recent.remove(recent.keySet().iterator().next());
      }
    }
    return p;
  }

  /** The state {@code count} sequences after {@code state}. */
  FeedState advance(FeedState state, long count) {
    long epoch = state.epoch();
    long seq = state.sequence() + count;
    while (true) {
      long n = plan(epoch).sequences(seqLen);
      if (n == 0) {
        throw new IllegalStateException(
            "the release packs into no sequence of " + seqLen + " tokens under its mixture");
      }
      if (seq < n) {
        return new FeedState(seed, epoch, seq);
      }
      seq -= n;
      epoch++;
    }
  }
}
