package io.sluice.feeder;

/**
 * How one packed sequence is split across the {@code sp_size} ranks of a sequence-parallel group
 * (DESIGN.md §5).
 */
public enum Layout {
  /** Rank r gets tokens {@code [r·S/P, (r+1)·S/P)}: LASP-2, ZeCO, FLA, Ulysses. */
  CONTIGUOUS,
  /**
   * The sequence is cut into 2P chunks; rank r gets chunk r then chunk 2P−1−r, which balances
   * causal-attention work: Megatron context parallelism, ring attention, torchtitan.
   */
  ZIGZAG;

  /** The lower-case name used in tickets and on the command line. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Layout parse(String name) {
    for (Layout l : values()) {
      if (l.wireName().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "unknown layout '" + name + "' (expected contiguous or zigzag)");
  }

  /**
   * The half-open token ranges {@code [start, end)} of a sequence of {@code seqLen} input tokens
   * that rank {@code spRank} of {@code spSize} gets, in the order it receives them.
   */
  long[][] ranges(int seqLen, int spSize, int spRank) {
    return switch (this) {
      case CONTIGUOUS -> {
        long part = seqLen / spSize;
        yield new long[][] {{spRank * part, (spRank + 1) * part}};
      }
      case ZIGZAG -> {
        long chunk = seqLen / (2L * spSize);
        long tail = 2L * spSize - 1 - spRank;
        yield new long[][] {
          {spRank * chunk, (spRank + 1) * chunk}, {tail * chunk, (tail + 1) * chunk}
        };
      }
    };
  }

  /** The divisibility this layout needs, or null when {@code seqLen} splits evenly. */
  String divisibilityError(int seqLen, int spSize) {
    int parts = this == CONTIGUOUS ? spSize : 2 * spSize;
    if (seqLen % parts != 0) {
      return "seq_len "
          + seqLen
          + " is not divisible by "
          + (this == CONTIGUOUS ? "sp_size " + spSize : "2·sp_size = " + parts)
          + " as the "
          + wireName()
          + " layout needs";
    }
    return null;
  }
}
