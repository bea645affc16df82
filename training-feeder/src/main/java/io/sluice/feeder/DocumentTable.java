package io.sluice.feeder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every document of a release, numbered globally in shard-name order then row order, with its
 * length and quality bucket, and random access to its tokens.
 *
 * <p>Each shard's SHA-256 is checked before any of its tokens is served: a background thread checks
 * them all after start, and a reader that gets to an unchecked shard first checks it itself. A
 * corrupt shard fails only the streams that reach it. Thread-safe.
 */
final class DocumentTable {
  private final ShardFile[] shards;
  private final int[] firstDoc;
  private final long tokens;
  private final AtomicReferenceArray<Object> verified; // null, Boolean.TRUE or the IOException
  private final ConcurrentHashMap<Integer, Object> verifyLocks = new ConcurrentHashMap<>();

  DocumentTable(List<ShardFile> files) {
    this.shards = files.toArray(ShardFile[]::new);
    this.firstDoc = new int[shards.length + 1];
    long total = 0;
    for (int s = 0; s < shards.length; s++) {
      total += shards[s].documents();
      if (total > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a release of over 2^31 documents is not supported");
      }
      firstDoc[s + 1] = (int) total;
    }
    this.verified = new AtomicReferenceArray<>(shards.length);
    long t = 0;
    for (ShardFile s : shards) {
      for (int len : s.lengths) {
        t += len;
      }
    }
    this.tokens = t;
  }

  int documents() {
    return firstDoc[shards.length];
  }

  int shardCount() {
    return shards.length;
  }

  int length(int doc) {
    int s = shardOf(doc);
    return shards[s].lengths[doc - firstDoc[s]];
  }

  int bucket(int doc) {
    int s = shardOf(doc);
    return shards[s].buckets[doc - firstDoc[s]];
  }

  long tokens() {
    return tokens;
  }

  /** Copies {@code count} tokens of {@code doc} from token {@code from} into {@code dst}. */
  void copyTokens(int doc, int from, int count, ByteBuffer dst, int dstIndex) {
    int s = shardOf(doc);
    ensureVerified(s);
    shards[s].copyTokens(doc - firstDoc[s], from, count, dst, dstIndex);
  }

  int token(int doc, int i) {
    int s = shardOf(doc);
    ensureVerified(s);
    return shards[s].token(doc - firstDoc[s], i);
  }

  private int shardOf(int doc) {
    int i = Arrays.binarySearch(firstDoc, doc);
    if (i >= 0) {
      while (i + 1 < firstDoc.length && firstDoc[i + 1] == doc) {
        i++; // skip empty shards
      }
      return i;
    }
    return -i - 2;
  }

  /** Checks every shard once, in order; meant for a background thread started after opening. */
  void verifyAll() {
    for (int s = 0; s < shards.length; s++) {
      try {
        ensureVerified(s);
      } catch (UncheckedIOException e) {
        // recorded; readers of this shard will get the error
      }
    }
  }

  private void ensureVerified(int s) {
    Object state = verified.get(s);
    if (state == null) {
      synchronized (verifyLocks.computeIfAbsent(s, k -> new Object())) {
        state = verified.get(s);
        if (state == null) {
          try {
            shards[s].verify();
            state = Boolean.TRUE;
          } catch (IOException e) {
            state = e;
          }
          verified.set(s, state);
        }
      }
    }
    if (state instanceof IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
