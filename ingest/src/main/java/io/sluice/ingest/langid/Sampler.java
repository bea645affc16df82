package io.sluice.ingest.langid;

/**
 * Chooses the bounded part of a text that is scored, so identification cost does not grow with
 * document size.
 *
 * <p>Short texts are used whole. Longer ones contribute {@link #WINDOWS} windows of {@link #WINDOW}
 * chars centred at 1/8, 3/8, 5/8 and 7/8 of the text: web pages open with navigation and often
 * close with boilerplate, so a prefix alone misjudges translated pages whose menus are English.
 * Window edges are nudged to word boundaries (by at most {@link #SLACK} chars) so no window starts
 * or ends inside a word or a surrogate pair.
 */
final class Sampler {
  static final int WINDOWS = 4;
  static final int WINDOW = 1024;
  static final int MAX_WHOLE = WINDOWS * WINDOW;
  static final int SLACK = 48;

  private Sampler() {}

  /** Window bounds as {@code [start0, end0, start1, end1, ...]}, ascending and non-overlapping. */
  static int[] windows(CharSequence text) {
    int len = text.length();
    if (len <= MAX_WHOLE) {
      return new int[] {0, len};
    }
    int[] bounds = new int[2 * WINDOWS];
    int prevEnd = 0;
    for (int k = 0; k < WINDOWS; k++) {
      int centre = (int) ((long) len * (2 * k + 1) / (2 * WINDOWS));
      int start = Math.max(prevEnd, centre - WINDOW / 2);
      int end = Math.min(len, start + WINDOW);
      start = toBoundary(text, start);
      end = toBoundary(text, end);
      bounds[2 * k] = start;
      bounds[2 * k + 1] = Math.max(start, end);
      prevEnd = bounds[2 * k + 1];
    }
    return bounds;
  }

  /** Moves {@code pos} forward past the word it falls into, by at most SLACK chars. */
  static int toBoundary(CharSequence text, int pos) {
    int len = text.length();
    int stop = Math.min(len, pos + SLACK);
    int p = pos;
    while (p < stop && p > 0 && isWordChar(text.charAt(p - 1))) {
      p++;
    }
    // never split a surrogate pair
    if (p > 0
        && p < len
        && Character.isHighSurrogate(text.charAt(p - 1))
        && Character.isLowSurrogate(text.charAt(p))) {
      p++;
    }
    return p;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetter(c) || Character.isSurrogate(c);
  }
}
