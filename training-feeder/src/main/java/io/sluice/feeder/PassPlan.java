package io.sluice.feeder;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The order of one pass: every document occurrence the mixture asks for, shuffled with the seed,
 * and the token stream they make (each occurrence is the document's tokens then one EOS).
 *
 * <p>A document whose bucket has e epochs occurs ⌊e⌋ times, plus once more with probability e − ⌊e⌋
 * (drawn per seed, pass and document). Copies of one document are never next to each other unless
 * that is impossible (one document is over half of the pass). Empty documents are left out. Memory:
 * 4 bytes per occurrence for the order and 8 for the running token ends.
 *
 * <p>Invariant: {@code ends[k]} is the stream position just past occurrence k; the stream holds
 * {@link #tokens()} = Σ (length + 1) tokens. Immutable once built.
 */
final class PassPlan {
  /**
   * The most document occurrences one pass may hold: 2^26, about 800 MB of plan (an int and a long
   * per occurrence). The server refuses a mixture over it at start ({@link Mixture#checkPassSize}).
   */
  static final long MAX_OCCURRENCES = 1L << 26;

  final long seed;
  final long epoch;
  private final int[] order;
  private final long[] ends;

  private PassPlan(long seed, long epoch, int[] order, long[] ends) {
    this.seed = seed;
    this.epoch = epoch;
    this.order = order;
    this.ends = ends;
  }

  static PassPlan build(DocumentTable table, Mixture mixture, long seed, long epoch) {
    int docs = table.documents();
    int[] copies = new int[docs];
    long total = 0;
    for (int d = 0; d < docs; d++) {
      if (table.length(d) == 0) {
        continue;
      }
      double e = mixture.epochs(table.bucket(d));
      int whole = (int) Math.floor(e);
      double frac = e - whole;
      copies[d] = whole + (frac > 0 && unit(seed, epoch, d) < frac ? 1 : 0);
      total += copies[d];
    }
    if (total > MAX_OCCURRENCES) {
      throw new IllegalArgumentException(
          "a pass of " + total + " document occurrences is over the limit of " + MAX_OCCURRENCES
              + "; lower the epochs");
    }
    int[] order = new int[(int) total];
    int k = 0;
    for (int d = 0; d < docs; d++) {
      for (int c = 0; c < copies[d]; c++) {
        order[k++] = d;
      }
    }
    SplittableRandom rng = new SplittableRandom(mix(seed, epoch, -1));
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    separateCopies(order);
    long[] ends = new long[order.length];
    long pos = 0;
    for (int i = 0; i < order.length; i++) {
      pos += table.length(order[i]) + 1L;
      ends[i] = pos;
    }
    return new PassPlan(seed, epoch, order, ends);
  }

  /**
   * Swaps away every occurrence equal to its predecessor, with the first later (then earlier)
   * position where the swap makes no new neighbours equal. Deterministic.
   */
  static void separateCopies(int[] order) {
    int n = order.length;
    for (int i = 1; i < n; i++) {
      if (order[i] != order[i - 1]) {
        continue;
      }
      for (int step = 2; step < n; step++) {
        int j = (i + step) % n;
        if (Math.abs(j - i) < 2 || order[j] == order[i]) {
          continue;
        }
        if (fits(order, i, order[j]) && fits(order, j, order[i])) {
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
          break;
        }
      }
    }
  }

  /**
   * Whether {@code value} can go to {@code at} without equalling a neighbour (never the swap
   * partner: they are 2+ apart).
   */
  private static boolean fits(int[] order, int at, int value) {
    return (at == 0 || order[at - 1] != value)
        && (at == order.length - 1 || order[at + 1] != value);
  }

  /** Tokens in this pass's stream, EOS separators included. */
  long tokens() {
    return ends.length == 0 ? 0 : ends[ends.length - 1];
  }

  int occurrences() {
    return order.length;
  }

  /** The number of sequences of {@code seqLen} inputs (+1 label) the pass packs into. */
  long sequences(int seqLen) {
    long t = tokens();
    return t < 2 ? 0 : (t - 1 + seqLen - 1) / seqLen;
  }

  /** The occurrence holding stream position {@code pos} (0 ≤ pos < tokens()). */
  int occurrenceAt(long pos) {
    int i = Arrays.binarySearch(ends, pos + 1);
    return i >= 0 ? i : -i - 1;
  }

  int document(int occurrence) {
    return order[occurrence];
  }

  long start(int occurrence) {
    return occurrence == 0 ? 0 : ends[occurrence - 1];
  }

  long end(int occurrence) {
    return ends[occurrence];
  }

  private static double unit(long seed, long epoch, int doc) {
    return (mix(seed, epoch, doc) >>> 11) * 0x1.0p-53;
  }

  /** A 64-bit mix of the three inputs (SplitMix64 finalizer over a combination). */
  private static long mix(long seed, long epoch, long doc) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + doc * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
