package io.sluice.ingest.extract;

import java.util.List;

/**
 * Confusion counts of one or more extractions against hand-annotated snippets, scored the way the
 * trafilatura benchmark scores them: each {@code goldWith} snippet found in the
 * whitespace-normalised output is a true positive (else a false negative), each {@code goldWithout}
 * snippet found is a false positive (else a true negative). Scores over a set are computed from
 * summed counts ({@link #plus}), not averaged per page. Immutable.
 *
 * @param truePositives wanted snippets present
 * @param falsePositives unwanted snippets present
 * @param falseNegatives wanted snippets missing
 * @param trueNegatives unwanted snippets absent
 */
public record ExtractionScore(
    long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

  /** TP / (TP + FP); 0 when nothing was found. */
  public double precision() {
    long d = truePositives + falsePositives;
    return d == 0 ? 0 : (double) truePositives / d;
  }

  /** TP / (TP + FN); 0 when there is nothing to find. */
  public double recall() {
    long d = truePositives + falseNegatives;
    return d == 0 ? 0 : (double) truePositives / d;
  }

  /** Harmonic mean of precision and recall, i.e. 2TP / (2TP + FP + FN); 0 when undefined. */
  public double f1() {
    long d = 2 * truePositives + falsePositives + falseNegatives;
    return d == 0 ? 0 : 2.0 * truePositives / d;
  }

  /**
   * Scores one extraction. Whitespace runs are collapsed to one space and the ends trimmed on both
   * sides before the substring test, as trafilatura's {@code re.sub(r"\s+", " ", s).strip()} does
   * (Unicode whitespace, including no-break spaces).
   *
   * @param extracted the extractor's output; null counts as empty
   */
  public static ExtractionScore of(
      String extracted, List<String> goldWith, List<String> goldWithout) {
    String text = normalize(extracted == null ? "" : extracted);
    long tp = 0;
    long fp = 0;
    for (String s : goldWith) {
      if (text.contains(normalize(s))) {
        tp++;
      }
    }
    for (String s : goldWithout) {
      if (text.contains(normalize(s))) {
        fp++;
      }
    }
    return new ExtractionScore(tp, fp, goldWith.size() - tp, goldWithout.size() - fp);
  }

  /** Sum of both counts, for scoring a whole set. */
  public ExtractionScore plus(ExtractionScore other) {
    return new ExtractionScore(
        truePositives + other.truePositives,
        falsePositives + other.falsePositives,
        falseNegatives + other.falseNegatives,
        trueNegatives + other.trueNegatives);
  }

  static String normalize(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isPythonSpace(c)) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Python's str.isspace: ASCII controls 9-13 and 28-31, U+0085, and Unicode Zs/Zl/Zp. */
  private static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}
