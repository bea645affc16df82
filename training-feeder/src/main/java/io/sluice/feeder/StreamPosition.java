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

  /**
   * The most passes one step may walk over. A release too small for its dp_size (fewer sequences
   * per pass than ranks) would otherwise have a stream build one plan after another without end.
   */
  static final int MAX_PASSES_PER_ADVANCE = 1024;

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

  /**
   * Refuses a state that no stream could have saved: its sequence lies past the end of its pass
   * (states are always normalised to their pass).
   *
   * @throws IllegalArgumentException naming the pass and its length
   */
  void check(FeedState state) {
    long n = plan(state.epoch()).sequences(seqLen);
    if (state.sequence() >= n) {
      throw new IllegalArgumentException(
          "feed request: state.sequence "
              + state.sequence()
              + " is past the end of pass "
              + state.epoch()
              + ", which packs into "
              + n
              + " sequences of seq_len "
              + seqLen);
    }
  }

  /**
   * The state {@code count} sequences after {@code state}.
   *
   * @throws IllegalArgumentException if that lies more than {@link #MAX_PASSES_PER_ADVANCE} passes
   *     ahead
   */
  FeedState advance(FeedState state, long count) {
    long epoch = state.epoch();
    long seq = state.sequence() + count;
    for (int passes = 0; ; passes++) {
      long n = plan(epoch).sequences(seqLen);
      if (n == 0) {
        throw new IllegalStateException(
            "the release packs into no sequence of " + seqLen + " tokens under its mixture");
      }
      if (seq < n) {
        return new FeedState(seed, epoch, seq);
      }
      if (passes >= MAX_PASSES_PER_ADVANCE) {
        throw new IllegalArgumentException(
            "feed request: a step of "
                + count
                + " sequences spans over "
                + MAX_PASSES_PER_ADVANCE
                + " passes of "
                + n
                + " sequences (seq_len "
                + seqLen
                + "): the release is too small for this dp_size");
      }
      seq -= n;
      epoch++;
    }
  }
}
