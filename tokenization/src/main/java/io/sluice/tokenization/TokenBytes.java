package io.sluice.tokenization;

import java.util.Arrays;

/**
 * The byte content of every token id, packed into one pool array.
 *
 * <p>Invariant: ids without content (gaps in a vocabulary) have length -1. Immutable after {@link
 * Builder#build()}; thread-safe.
 */
final class TokenBytes {
  private final byte[] pool;
  private final int[] starts;
  private final int[] lengths;

  private TokenBytes(byte[] pool, int[] starts, int[] lengths) {
    this.pool = pool;
    this.starts = starts;
    this.lengths = lengths;
  }

  byte[] pool() {
    return pool;
  }

  int start(int id) {
    return starts[id];
  }

  /** Content length of {@code id}, or -1 when the id is unused or out of range. */
  int length(int id) {
    return id >= 0 && id < lengths.length ? lengths[id] : -1;
  }

  /** One more than the highest id. */
  int size() {
    return lengths.length;
  }

  boolean equalsRange(int id, byte[] b, int start, int len) {
    return lengths[id] == len
        && Arrays.equals(pool, starts[id], starts[id] + len, b, start, start + len);
  }

  /** Collects (id, bytes) pairs; ids may come in any order and need not be dense. */
  static final class Builder {
    private byte[] pool = new byte[1 << 16];
    private int used;
    private int[] starts = new int[1024];
    private int[] lengths = new int[1024];
    private int maxId = -1;

    Builder() {
      Arrays.fill(lengths, -1);
    }

    /** Sets the content of {@code id}; returns false when the id already had content. */
    boolean put(int id, byte[] bytes) {
      if (id >= starts.length) {
        int n = Math.max(id + 1, starts.length * 2);
        int old = lengths.length;
        starts = Arrays.copyOf(starts, n);
        lengths = Arrays.copyOf(lengths, n);
        Arrays.fill(lengths, old, n, -1);
      }
      if (lengths[id] >= 0) {
        return false;
      }
      if (used + bytes.length > pool.length) {
        pool = Arrays.copyOf(pool, Math.max(pool.length * 2, used + bytes.length));
      }
      System.arraycopy(bytes, 0, pool, used, bytes.length);
      starts[id] = used;
      lengths[id] = bytes.length;
      used += bytes.length;
      maxId = Math.max(maxId, id);
      return true;
    }

    TokenBytes build() {
      return new TokenBytes(
          Arrays.copyOf(pool, used),
          Arrays.copyOf(starts, maxId + 1),
          Arrays.copyOf(lengths, maxId + 1));
    }
  }
}
