package io.sluice.dedup;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The LSH S-curve: with {@code b} bands of {@code r} rows, two documents of Jaccard similarity
 * {@code s} share at least one band bucket, i.e. become a candidate pair, with probability {@code 1
 * - (1 - s^r)^b}.
 */
public final class SCurve {

  /** The similarities {@link #describe} and the stats report. */
  static final double[] POINTS = {0.6, 0.7, 0.8, 0.9};

  private SCurve() {}

  public static double probability(double jaccard, int bands, int rows) {
    if (jaccard < 0 || jaccard > 1 || bands < 1 || rows < 1) {
      throw new IllegalArgumentException(
          "need 0 <= jaccard <= 1, bands >= 1, rows >= 1; got "
              + jaccard
              + ", "
              + bands
              + ", "
              + rows);
    }
    return 1 - Math.pow(1 - Math.pow(jaccard, rows), bands);
  }

  /** Candidate probability at each of {@link #POINTS}, keyed "0.6" etc. */
  static Map<String, Double> values(int bands, int rows) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (double s : POINTS) {
      out.put(
          String.format(Locale.ROOT, "%.1f", s),
          Math.round(probability(s, bands, rows) * 1e4) / 1e4);
    }
    return out;
  }

  /**
   * A one-line human description, e.g. {@code 14x8 (112 hashes): P(candidate) J=0.6: 0.2114 ...}.
   */
  public static String describe(int bands, int rows) {
    StringBuilder sb =
        new StringBuilder(
            bands + " bands x " + rows + " rows (" + bands * rows + " hashes): P(candidate)");
    values(bands, rows)
        .forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  J=%s: %.4f", k, v)));
    return sb.toString();
  }
}
