package io.sluice.tokenization;

import java.util.Arrays;

/**
 * A bounded cache from a pre-tokenized piece's UTF-8 bytes to its BPE token ids.
 *
 * <p>Natural text repeats the same words constantly, so most pieces that are not single tokens are
 * merged once and then served from here. Keys and values live in two pool arrays, so neither a hit
 * nor a miss allocates. When the cache is full it is cleared wholesale: cheaper than LRU
 * bookkeeping, and the hot words come back within a few kilobytes of text.
 *
 * <p>Not thread-safe: each thread owns one through {@link Workspace}.
 */
final class PieceCache {
  /** Longer pieces are rare and would evict many short ones; they are merged every time. */
  static final int MAX_KEY_BYTES = 96;

  private static final int SLOTS = 1 << 16;
  private static final int MAX_ENTRIES = SLOTS / 2;

  private final int[] slots = new int[SLOTS];
  private final int[] slotHashes = new int[SLOTS];
  private final int[] keyStart = new int[MAX_ENTRIES];
  private final int[] keyLen = new int[MAX_ENTRIES];
  private final int[] valStart = new int[MAX_ENTRIES];
  private final int[] valLen = new int[MAX_ENTRIES];
  private final byte[] keys = new byte[MAX_ENTRIES * 16];
  private final int[] values = new int[MAX_ENTRIES * 8];
  private int entries;
  private int keysUsed;
  private int valuesUsed;

  PieceCache() {
    Arrays.fill(slots, -1);
  }

  /**
   * Appends the cached ids of {@code bytes[0, len)} to {@code out}.
   *
   * @return the number of ids appended, or -1 on a miss (nothing written)
   */
  int get(byte[] bytes, int len, IntBuffer out) {
    int h = BytesIdMap.hash(bytes, 0, len);
    for (int i = h & (SLOTS - 1); ; i = (i + 1) & (SLOTS - 1)) {
      int e = slots[i];
      if (e < 0) {
        return -1;
      }
      if (slotHashes[i] == h
          && keyLen[e] == len
          && Arrays.equals(keys, keyStart[e], keyStart[e] + len, bytes, 0, len)) {
        out.addAll(values, valStart[e], valLen[e]);
        return valLen[e];
      }
    }
  }

  /** Remembers ids {@code ids[from, to)} for piece {@code bytes[0, len)}. */
  void put(byte[] bytes, int len, int[] ids, int from, int to) {
    int n = to - from;
    if (entries == MAX_ENTRIES || keysUsed + len > keys.length || valuesUsed + n > values.length) {
      Arrays.fill(slots, -1);
      entries = 0;
      keysUsed = 0;
      valuesUsed = 0;
    }
    int h = BytesIdMap.hash(bytes, 0, len);
    int i = h & (SLOTS - 1);
    while (slots[i] >= 0) {
      i = (i + 1) & (SLOTS - 1);
    }
    int e = entries++;
    System.arraycopy(bytes, 0, keys, keysUsed, len);
    keyStart[e] = keysUsed;
    keyLen[e] = len;
    keysUsed += len;
    System.arraycopy(ids, from, values, valuesUsed, n);
    valStart[e] = valuesUsed;
    valLen[e] = n;
    valuesUsed += n;
    slots[i] = e;
    slotHashes[i] = h;
  }
}
