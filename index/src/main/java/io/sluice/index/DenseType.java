package io.sluice.index;

import java.util.Locale;

/**
 * The dense index type of a shard, chosen by the user or by shard size ({@link #AUTO}): exact
 * {@code Flat} while small, HNSW up to a few million passages, IVF with PQ codes and exact
 * re-ranking beyond that.
 */
public enum DenseType {
  NONE,
  AUTO,
  FLAT,
  HNSW,
  IVFPQ;

  /** Shards up to this many passages are searched exactly under {@link #AUTO}. */
  static final long FLAT_MAX = 200_000;

  /** Shards up to this many passages get HNSW under {@link #AUTO}; larger ones IVF-PQ. */
  static final long HNSW_MAX = 2_000_000;

  public static DenseType parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--dense must be one of none, auto, flat, hnsw, ivfpq; got '" + s + "'");
    }
  }

  /** The concrete type for a shard of n passages. */
  DenseType resolve(long n) {
    if (this != AUTO) {
      return this;
    }
    return n <= FLAT_MAX ? FLAT : n <= HNSW_MAX ? HNSW : IVFPQ;
  }

  /** FAISS factory string for a shard of n passages of dimension dim. */
  String factory(long n, int dim) {
    return switch (resolve(n)) {
      case FLAT -> "Flat";
      case HNSW -> "HNSW32";
      case IVFPQ -> "IVF" + nlist(n) + ",PQ" + pqM(dim) + "np,RFlat";
      default -> throw new IllegalStateException("no FAISS index for " + this);
    };
  }

  /** IVF lists: about 4·√n, with at least 39 training points per list as FAISS asks. */
  static int nlist(long n) {
    return (int) Math.max(1, Math.min(65536, Math.min(4 * Math.sqrt(n), n / 39)));
  }

  /** PQ sub-quantizers: 8 dimensions each (384 → 48), a divisor of dim. */
  static int pqM(int dim) {
    int m = Math.max(1, dim / 8);
    while (dim % m != 0) {
      m--;
    }
    return m;
  }
}
