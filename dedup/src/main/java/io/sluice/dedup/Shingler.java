package io.sluice.dedup;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Turns a document into a set of 64-bit shingle hashes, choosing the unit by content:
 *
 * <ul>
 *   <li>code ({@code kind = code}): tokens, i.e. runs of letters/digits/underscore and single other
 *       non-space characters, so {@code a=b+1} and {@code a = b + 1} shingle alike;
 *   <li>text of unspaced scripts (at least 30% of letters Han, Hiragana, Katakana or Thai): code
 *       points, since such text has no word separators;
 *   <li>other natural language: whitespace-separated words.
 * </ul>
 *
 * Shingles are {@code n} consecutive units. Invariants: a document with fewer than {@code n} units
 * (but not empty) has exactly one shingle, the hash of its whole normalized text; an empty
 * normalized text has no shingles (see {@link MinHasher#signature} for what that means). The result
 * may hold repeated hashes: MinHash does not care.
 */
final class Shingler implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int n;
  private final Normalization normalization;

  Shingler(int n, Normalization normalization) {
    if (n < 1) {
      throw new IllegalArgumentException("shingle size must be >= 1, got " + n);
    }
    this.n = n;
    this.normalization = normalization;
  }

  /** What a text's units are. */
  enum Unit {
    WORD,
    CHAR,
    CODE_TOKEN
  }

  static Unit unitOf(String normalized, String kind) {
    if ("code".equals(kind)) {
      return Unit.CODE_TOKEN;
    }
    return unspaced(normalized) ? Unit.CHAR : Unit.WORD;
  }

  long[] shingles(String text, String kind) {
    if (normalization.isWhitespaceAndCaseOnly() && text != null) {
      // Units split on whitespace anyway, and case can be folded while hashing: no normalised
      // copy of the text is needed (the common, default case).
      Unit unit = unitOf(text, kind);
      long[] units = units(text, unit, normalization.lowercase());
      if (units.length >= n) {
        return combine(units);
      }
    }
    String t = normalization.apply(text);
    if (t.isEmpty()) {
      return new long[0];
    }
    long[] units = units(t, unitOf(t, kind));
    if (units.length == 0) {
      return new long[0];
    }
    if (units.length < n) {
      return new long[] {Hashing.chars(t)};
    }
    return combine(units);
  }

  private long[] combine(long[] units) {
    long[] out = new long[units.length - n + 1];
    for (int i = 0; i < out.length; i++) {
      out[i] = Hashing.combine(units, i, n);
    }
    return out;
  }

  /** The units' hashes, in order. */
  static long[] units(String t, Unit unit) {
    return units(t, unit, false);
  }

  /** The units' hashes, in order; with {@code lower}, hashed as if lower-cased. */
  static long[] units(String t, Unit unit, boolean lower) {
    long[] out = new long[Math.max(16, t.length() / 4)];
    int k = 0;
    int i = 0;
    int len = t.length();
    while (i < len) {
      int cp = t.codePointAt(i);
      int w = Character.charCount(cp);
      if (Character.isWhitespace(cp)) {
        i += w;
        continue;
      }
      int end = i + w;
      if (unit == Unit.WORD) {
        while (end < len && !Character.isWhitespace(t.codePointAt(end))) {
          end += Character.charCount(t.codePointAt(end));
        }
      } else if (unit == Unit.CODE_TOKEN && isWordChar(cp)) {
        while (end < len && isWordChar(t.codePointAt(end))) {
          end += Character.charCount(t.codePointAt(end));
        }
      }
      if (k == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[k++] = lower ? Hashing.charsLowerCase(t, i, end) : Hashing.chars(t, i, end);
      i = end;
    }
    return Arrays.copyOf(out, k);
  }

  private static boolean isWordChar(int cp) {
    return cp == '_' || Character.isLetterOrDigit(cp);
  }

  /** True when at least 30% of the letters belong to scripts written without spaces. */
  static boolean unspaced(String t) {
    int letters = 0;
    int unspaced = 0;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetter(cp)) {
        continue;
      }
      letters++;
      if (cp < 0x0E00) {
        continue; // Latin, Greek, Cyrillic, Arabic, ...: all below Thai, the first unspaced block
      }
      Character.UnicodeScript s = Character.UnicodeScript.of(cp);
      if (s == Character.UnicodeScript.HAN
          || s == Character.UnicodeScript.HIRAGANA
          || s == Character.UnicodeScript.KATAKANA
          || s == Character.UnicodeScript.THAI) {
        unspaced++;
      }
    }
    return letters > 0 && unspaced * 10 >= letters * 3;
  }
}
