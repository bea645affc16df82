package io.sluice.tokenization;

import java.util.Arrays;

/**
 * Maps byte sequences (token contents) to token ids without boxing or per-lookup allocation.
 *
 * <p>Open addressing with linear probing over an {@code int[]} of ids; the keys are not copied but
 * read back from the token byte pool of {@link TokenBytes}, so a lookup hashes the probe bytes once
 * and compares bytes only on a hash-slot hit. Immutable after construction; thread-safe for reads.
 */
final class BytesIdMap {
  private static final int EMPTY = -1;

  private final TokenBytes tokens;
  private final int[] slots;
  private final int[] slotHashes;
  private final int mask;

  /** Indexes every id in {@code ids} by its bytes; a later id with equal bytes wins. */
  BytesIdMap(TokenBytes tokens, int[] ids) {
    this.tokens = tokens;
    int capacity = Integer.highestOneBit(Math.max(4, ids.length) * 2 - 1) << 1;
    this.slots = new int[capacity];
    this.slotHashes = new int[capacity];
    this.mask = capacity - 1;
    Arrays.fill(slots, EMPTY);
    for (int id : ids) {
      put(id);
    }
  }

  private void put(int id) {
    byte[] pool = tokens.pool();
    int start = tokens.start(id);
    int len = tokens.length(id);
    int h = hash(pool, start, len);
    for (int i = h & mask; ; i = (i + 1) & mask) {
      if (slots[i] == EMPTY) {
        slots[i] = id;
        slotHashes[i] = h;
        return;
      }
      if (slotHashes[i] == h && tokens.equalsRange(slots[i], pool, start, len)) {
        slots[i] = id;
        return;
      }
    }
  }

  /** Returns the id of {@code bytes[start, start+len)} or -1 when it is not a token. */
  int get(byte[] bytes, int start, int len) {
    int h = hash(bytes, start, len);
    for (int i = h & mask; ; i = (i + 1) & mask) {
      int id = slots[i];
      if (id == EMPTY) {
        return -1;
      }
      if (slotHashes[i] == h && tokens.equalsRange(id, bytes, start, len)) {
        return id;
      }
    }
  }

  /** FNV-1a with a final avalanche, so that linear probing sees well-spread low bits. */
  static int hash(byte[] b, int start, int len) {
    int h = 0x811c9dc5 ^ len;
    for (int i = start, end = start + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    return h ^ (h >>> 13);
  }
}
