package io.sluice.dedup;

/**
 * MinHash signatures outside Spark, exactly as {@link DedupJob} computes them (same shingling,
 * normalisation and permutations): for tools and benchmarks. Immutable and thread-safe.
 */
public final class MinHashSignatures {

  private final Shingler shingler;
  private final MinHasher hasher;

  /**
   * @param shingleSize words (or code tokens, or characters for unspaced scripts) per shingle
   * @param permutations bands × rows
   */
  public MinHashSignatures(int shingleSize, int permutations) {
    this.shingler = new Shingler(shingleSize, Normalization.defaults());
    this.hasher = new MinHasher(permutations);
  }

  /** The signature of a document of {@code kind} ({@code web} or {@code code}). */
  public int[] of(String text, String kind) {
    return hasher.signature(shingler.shingles(text, kind));
  }

  /** The fraction of equal minhashes of two signatures: an estimate of their Jaccard similarity. */
  public static double jaccard(int[] x, int[] y) {
    return MinHasher.jaccard(x, y);
  }
}
