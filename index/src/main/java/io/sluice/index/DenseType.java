package io.sluice.index;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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

  /** HNSW links per vector ({@code HNSW32}). */
  static final int HNSW_M = 32;

  /**
   * HNSW build-time beam width. FAISS's default, 40, builds a graph whose recall@10 levels off
   * below 0.95 at 1M synthetic vectors however large efSearch gets (0.934 at 512); 100 reached
   * 1.000 on 200k vectors where 40 stopped at 0.989, for about a third more build time.
   */
  static final int HNSW_EF_CONSTRUCTION = 100;

  /** IVF lists scanned per query (IVF-Flat and IVF-PQ). */
  static final int NPROBE = 32;

  /**
   * Re-rank depth of IVF-PQ + exact refine ({@code RFlat}): the PQ stage returns {@code k ·
   * K_FACTOR_RF} candidates, which are re-scored with the full vectors. The PQ codes (8 dimensions
   * per byte) misorder neighbours whose scores are close, so the true top k of a dense region can
   * sit far below rank 4k in PQ order: with 4 (the old default) recall@10 was 0.37 on 1M clustered
   * synthetic vectors and 0.53 in {@code FaissIndexTest}; re-scoring 320 candidates for k = 10
   * costs less than the PQ scan of one list.
   */
  static final int K_FACTOR_RF = 32;

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
      case HNSW -> "HNSW" + HNSW_M;
      case IVFPQ -> "IVF" + nlist(n) + ",PQ" + pqM(dim) + "np,RFlat";
      default -> throw new IllegalStateException("no FAISS index for " + this);
    };
  }

  /**
   * The search-time parameters the index job writes to the manifest; {@link #applies} says which
   * ones a shard's FAISS index takes.
   */
  static Map<String, Double> searchParameters() {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("efSearch", 128.0);
    p.put("nprobe", (double) NPROBE);
    p.put("k_factor_rf", (double) K_FACTOR_RF);
    return p;
  }

  /**
   * Parameters to set on a fresh index of this factory string before vectors are added (FAISS does
   * not store them in the factory string).
   */
  static Map<String, Double> buildParameters(String factory) {
    return factory.startsWith("HNSW")
        ? Map.of("efConstruction", (double) HNSW_EF_CONSTRUCTION)
        : Map.of();
  }

  /**
   * Whether a FAISS search parameter applies to an index of this factory string (FAISS's {@code
   * ParameterSpace} throws on one that does not).
   */
  static boolean applies(String factory, String parameter) {
    return switch (parameter) {
      case "efSearch" -> factory.startsWith("HNSW");
      case "nprobe" -> factory.startsWith("IVF");
      case "k_factor_rf" -> factory.contains("RFlat") || factory.contains("Refine");
      default -> true;
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
