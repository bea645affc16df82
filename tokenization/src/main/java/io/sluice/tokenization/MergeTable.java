package io.sluice.tokenization;

import java.util.Arrays;

/**
 * The merge rules of a BPE model: (left id, right id) to (rank, merged id).
 *
 * <p>For tiktoken vocabularies the rank is the merged token's own id (tiktoken merges the adjacent
 * pair whose concatenation has the lowest rank); for Hugging Face models it is the index of the
 * rule in {@code model.merges}. Keying by id pairs lets the merge loop look up a pair in O(1)
 * without hashing bytes. Open addressing over primitive arrays; immutable after construction is
 * complete, thread-safe for reads.
 */
final class MergeTable {
  /** Returned by {@link #get} when the pair does not merge. */
  static final long NONE = -1L;

  private static final long EMPTY_KEY = -1L;

  private long[] keys;
  private long[] values;
  private int mask;
  private int size;

  MergeTable(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    mask = capacity - 1;
    Arrays.fill(keys, EMPTY_KEY);
  }

  /** Adds or replaces a rule (the last rule for a pair wins, as in Hugging Face tokenizers). */
  void put(int left, int right, int rank, int merged) {
    if ((size + 1) * 4L > keys.length * 3L) {
      grow();
    }
    long key = key(left, right);
    for (int i = slot(key); ; i = (i + 1) & mask) {
      if (keys[i] == EMPTY_KEY) {
        keys[i] = key;
        values[i] = pack(rank, merged);
        size++;
        return;
      }
      if (keys[i] == key) {
        values[i] = pack(rank, merged);
        return;
      }
    }
  }

  /** Adds a rule only if the pair has none yet. */
  void putIfAbsent(int left, int right, int rank, int merged) {
    if (get(left, right) == NONE) {
      put(left, right, rank, merged);
    }
  }

  /** Returns {@code rank << 32 | merged}, or {@link #NONE}. */
  long get(int left, int right) {
    long key = key(left, right);
    for (int i = slot(key); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY_KEY) {
        return NONE;
      }
    }
  }

  int size() {
    return size;
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  private static long pack(int rank, int merged) {
    return ((long) rank << 32) | (merged & 0xffffffffL);
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldKeys.length * 2];
    mask = keys.length - 1;
    Arrays.fill(keys, EMPTY_KEY);
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != EMPTY_KEY) {
        int i = slot(oldKeys[j]);
        while (keys[i] != EMPTY_KEY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
