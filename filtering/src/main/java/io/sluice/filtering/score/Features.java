package io.sluice.filtering.score;

import io.sluice.filtering.signals.Signal;
import java.util.Locale;

/**
 * The feature vector of a document: every {@link Signal} (standardised; NaN becomes 0, the mean)
 * followed by lowercase word unigrams and bigrams hashed into {@code 2^bits} slots with a sign
 * hash, weighted 1/sqrt(number of n-grams) so long and short documents weigh alike.
 *
 * <p>Sparse part only: indices and values of the hashed n-grams; the dense part is the signal
 * vector itself.
 */
final class Features {

  final int[] index;
  final float[] value;

  private Features(int[] index, float[] value) {
    this.index = index;
    this.value = value;
  }

  /** Hashed n-grams of at most the first {@code maxChars} characters. */
  static Features hashed(String text, int bits, int maxChars) {
    String t = text.length() > maxChars ? text.substring(0, maxChars) : text;
    java.util.List<String> words =
        io.sluice.filtering.signals.Words.split(t.toLowerCase(Locale.ROOT));
    int n = words.size() * 2;
    int[] idx = new int[n];
    float[] val = new float[n];
    int mask = (1 << bits) - 1;
    int k = 0;
    long prev = 0;
    for (int i = 0; i < words.size(); i++) {
      long h = hash(words.get(i));
      idx[k] = (int) (h & mask);
      val[k++] = (h >>> 63) == 0 ? 1f : -1f;
      if (i > 0) {
        long hb = mix(prev * 31 + h);
        idx[k] = (int) (hb & mask);
        val[k++] = (hb >>> 63) == 0 ? 1f : -1f;
      }
      prev = h;
    }
    float norm = k == 0 ? 0f : (float) (1 / Math.sqrt(k));
    int[] outIdx = java.util.Arrays.copyOf(idx, k);
    float[] outVal = java.util.Arrays.copyOf(val, k);
    for (int i = 0; i < k; i++) {
      outVal[i] *= norm;
    }
    return new Features(outIdx, outVal);
  }

  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return mix(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
