package io.sluice.feeder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the columns of a rank's slice of one packed sequence (DESIGN.md §5) straight into
 * little-endian buffers, with bulk copies from the memory-mapped shards.
 *
 * <p>Sequence i of a pass covers input positions {@code [i·L, i·L + L)} of the pass's stream and
 * label positions one further, so consecutive sequences share no input token and the stream's every
 * token after the first is a label exactly once. Past the end of the stream inputs are EOS padding
 * and labels are {@value #IGNORE}. Position ids count from each segment start: the start of the
 * sequence, each document start, and the start of padding. Immutable; thread-safe.
 */
final class SequencePacker {
  /** The label of positions without loss, as PyTorch's cross-entropy ignores it. */
  static final int IGNORE = -100;

  private final DocumentTable table;
  private final int eos;
  private final int seqLen;
  private final ByteBuffer ramp;

  SequencePacker(DocumentTable table, int eos, int seqLen) {
    this.table = table;
    this.eos = eos;
    this.seqLen = seqLen;
    this.ramp = ByteBuffer.allocateDirect(4 * (seqLen + 1)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i <= seqLen; i++) {
      ramp.putInt(4 * i, i);
    }
  }

  int seqLen() {
    return seqLen;
  }

  /**
   * Fills the rank's columns for sequence {@code seq} of {@code plan}; {@code ranges} are the
   * rank's token ranges within the sequence ({@link Layout#ranges}), written one after another.
   */
  void fill(
      PassPlan plan,
      long seq,
      long[][] ranges,
      ByteBuffer inputIds,
      ByteBuffer labels,
      ByteBuffer positionIds) {
    long s = seq * seqLen;
    int at = 0;
    for (long[] r : ranges) {
      long a = s + r[0];
      long b = s + r[1];
      stream(plan, a, b, inputIds, at, eos);
      stream(plan, a + 1, b + 1, labels, at, IGNORE);
      positions(plan, s, a, b, positionIds, at);
      at += (int) (4 * (b - a));
    }
  }

  /**
   * Stream tokens {@code [a, b)} into {@code dst} from byte {@code at}; {@code pad} past the end.
   */
  private void stream(PassPlan plan, long a, long b, ByteBuffer dst, int at, int pad) {
    long t = plan.tokens();
    long x = a;
    if (x < t) {
      int k = plan.occurrenceAt(x);
      long stop = Math.min(b, t);
      while (x < stop) {
        long start = plan.start(k);
        long docEnd = plan.end(k) - 1; // the occurrence's EOS
        if (x < docEnd) {
          int n = (int) (Math.min(docEnd, stop) - x);
          table.copyTokens(plan.document(k), (int) (x - start), n, dst, at);
          at += 4 * n;
          x += n;
        }
        if (x == docEnd && x < stop) {
          dst.putInt(at, eos);
          at += 4;
          x++;
        }
        k++;
      }
    }
    for (; x < b; x++, at += 4) {
      dst.putInt(at, pad);
    }
  }

  private void positions(PassPlan plan, long s, long a, long b, ByteBuffer dst, int at) {
    long t = plan.tokens();
    long x = a;
    if (x < t) {
      int k = plan.occurrenceAt(x);
      long stop = Math.min(b, t);
      while (x < stop) {
        int n = (int) (Math.min(plan.end(k), stop) - x);
        int from = (int) (x - Math.max(s, plan.start(k)));
        dst.put(at, ramp, 4 * from, 4 * n);
        at += 4 * n;
        x += n;
        k++;
      }
    }
    if (x < b) {
      int from = (int) (x - Math.max(s, t));
      dst.put(at, ramp, 4 * from, (int) (4 * (b - x)));
    }
  }

  /** Segment boundaries of sequence {@code seq}: 0, each segment start inside it, seq_len. */
  int[] cuSeqlens(PassPlan plan, long seq) {
    long s = seq * seqLen;
    long e = s + seqLen;
    IntList out = new IntList();
    out.add(0);
    for (int k = plan.occurrenceAt(s); k < plan.occurrences() && plan.end(k) < e; k++) {
      out.add((int) (plan.end(k) - s)); // the next document, or padding after the last one
    }
    out.add(seqLen);
    return out.toArray();
  }

  /** A growable int array (cu_seqlens has one entry per document in a sequence). */
  private static final class IntList {
    private int[] a = new int[16];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = java.util.Arrays.copyOf(a, 2 * n);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}
