package io.sluice.filtering.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words the way the web heuristics count them: runs of non-space characters,
 * except that each Han, Hiragana, Katakana or Thai character is a word of its own, since those
 * scripts do not put spaces between words. Stateless.
 */
public final class Words {

  private Words() {}

  /** True for characters of scripts written without spaces between words. */
  static boolean isUnspaced(int cp) {
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return s == Character.UnicodeScript.HAN
        || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA
        || s == Character.UnicodeScript.THAI;
  }

  /**
   * True when {@code text} has at least {@code n} words as {@link #split} counts them; stops
   * counting at {@code n} and allocates nothing (the per-line check of C4 runs on every line).
   */
  public static boolean countAtLeast(CharSequence text, int n) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length() && words < n; ) {
      int cp = Character.codePointAt(text, i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || cp == 0x00A0 || cp == 0x3000) {
        inWord = false;
      } else if (isUnspaced(cp)) {
        words++;
        inWord = false;
      } else if (!inWord) {
        words++;
        inWord = true;
      }
    }
    return words >= n;
  }

  /** The words of {@code text}, in order. Punctuation stays attached, as in the Gopher rules. */
  public static List<String> split(CharSequence text) {
    List<String> words = new ArrayList<>();
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; ) {
      int cp = Character.codePointAt(text, i);
      int len = Character.charCount(cp);
      if (Character.isWhitespace(cp) || cp == 0x00A0 || cp == 0x3000) {
        if (start >= 0) {
          words.add(text.subSequence(start, i).toString());
          start = -1;
        }
      } else if (isUnspaced(cp)) {
        if (start >= 0) {
          words.add(text.subSequence(start, i).toString());
          start = -1;
        }
        words.add(text.subSequence(i, i + len).toString());
      } else if (start < 0) {
        start = i;
      }
      i += len;
    }
    if (start >= 0) {
      words.add(text.subSequence(start, n).toString());
    }
    return words;
  }
}
