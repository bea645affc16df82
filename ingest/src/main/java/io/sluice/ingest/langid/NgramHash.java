package io.sluice.ingest.langid;

/**
 * The one hash function that maps a character n-gram to a 32-bit model key.
 *
 * <p>The model generator and the identifier must agree bit for bit, so both call this class;
 * changing it requires regenerating the model (and bumping {@link LanguageModel#VERSION}). Keys are
 * never 0, because 0 marks an empty slot in the lookup table.
 */
final class NgramHash {
  private static final long SEED = 0x5851F42D4C957F2DL;
  private static final long MUL = 0x9E3779B97F4A7C15L;

  private NgramHash() {}

  /**
   * Key of the n-gram {@code cps[end - n .. end)} (code points, already lower-cased). The order is
   * mixed in, so "ab" as a bigram and "ab" inside a trigram never collide by construction.
   */
  static int key(int[] cps, int end, int n) {
    long h = SEED + n;
    for (int i = end - n; i < end; i++) {
      h = (h ^ cps[i]) * MUL;
    }
    // murmur3 fmix64: spread the last code point's bits into the high half we keep
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    int k = (int) (h >>> 32);
    return k == 0 ? 1 : k;
  }

  /**
   * Key of an n-gram given as a String (generator side); same result as {@link #key(int[], int,
   * int)}.
   */
  static int key(String gram) {
    int[] cps = gram.codePoints().toArray();
    return key(cps, cps.length, cps.length);
  }
}
