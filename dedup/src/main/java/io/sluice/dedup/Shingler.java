package io.sluice.dedup;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Turns a document into a set of 64-bit shingle hashes and the hash of its normalized text, in one
 * pass over its characters. The unit of a shingle depends on the content:
 *
 * <ul>
 *   <li>code ({@code kind = code}): tokens, i.e. runs of letters/digits/underscore and single other
 *       non-space characters, so {@code a=b+1} and {@code a = b + 1} shingle alike;
 *   <li>text of unspaced scripts (at least 30% of letters Han, Hiragana, Katakana or Thai): code
 *       points, since such text has no word separators;
 *   <li>other natural language: whitespace-separated words.
 * </ul>
 *
 * Shingles are {@code n} consecutive units. Invariants: the exact hash is {@link
 * Hashing#chars(CharSequence) Hashing.chars}{@code (normalization.apply(text))} whichever way it is
 * computed; a document with fewer than {@code n} units (but not empty) has exactly one shingle, its
 * exact hash; an empty normalized text has no shingles (see {@link MinHasher#signature} for what
 * that means). Shingles may repeat: MinHash does not care.
 *
 * <p>Why one pass: with the default normalization (whitespace collapsed, optionally lower case) the
 * normalized text is never built; each character is classified (a table lookup for ASCII), folded
 * into the hash of its unit and into the exact hash, and read once. Punctuation stripping or
 * uncollapsed whitespace take the slower path through {@link Normalization#apply}.
 */
final class Shingler implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final byte SPACE = 0;
  private static final byte WORD_CHAR = 1;
  private static final byte OTHER = 2;

  /** Character classes of ASCII, the common case: whitespace, word character, other. */
  private static final byte[] ASCII_CLASS = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII_CLASS[c] = classOf(c);
    }
  }

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

  /**
   * A document's shingle hashes and the 64-bit hash of its normalized text (the exact-dedup key).
   */
  record Shingled(long[] shingles, long exactHash) {}

  static Unit unitOf(String text, String kind) {
    if ("code".equals(kind)) {
      return Unit.CODE_TOKEN;
    }
    return unspaced(text) ? Unit.CHAR : Unit.WORD;
  }

  long[] shingles(String text, String kind) {
    return shingle(text, kind).shingles();
  }

  Shingled shingle(String text, String kind) {
    String t = text == null ? "" : text;
    if (normalization.collapseWhitespace() && !normalization.stripPunctuation()) {
      Scan s = new Scan(t, unitOf(t, kind), normalization.lowercase());
      return shingled(s.units, s.count, s.exactHash());
    }
    String normalized = normalization.apply(t);
    Scan s = new Scan(normalized, unitOf(normalized, kind), false);
    return shingled(s.units, s.count, Hashing.chars(normalized));
  }

  /** {@link Hashing#chars}{@code (normalization.apply(text))}, without building the string. */
  long exactHash(String text) {
    String t = text == null ? "" : text;
    if (normalization.collapseWhitespace() && !normalization.stripPunctuation()) {
      return collapsedHash(t, normalization.lowercase());
    }
    return Hashing.chars(normalization.apply(t));
  }

  /**
   * The exact hash of {@link Scan} without its units: the survivors' pass hashes every kept text
   * again, and making unit hashes there would double the cost of that pass for nothing.
   */
  private static long collapsedHash(String t, boolean lower) {
    long h = Hashing.START;
    long length = 0;
    boolean spaceBefore = false;
    int len = t.length();
    for (int i = 0; i < len; i++) {
      char c = t.charAt(i);
      boolean space = c < 128 ? ASCII_CLASS[c] == SPACE : isWhitespaceAt(t, i, c);
      if (space) {
        spaceBefore = length > 0;
        if (Character.isHighSurrogate(c)) {
          i++; // a supplementary whitespace code point: skip its low surrogate too
        }
        continue;
      }
      if (spaceBefore) {
        h = Hashing.step(h, ' ');
        length++;
        spaceBefore = false;
      }
      h = Hashing.step(h, lower ? lowerCase(c) : c);
      length++;
    }
    return Hashing.finish(h, length);
  }

  private static boolean isWhitespaceAt(String t, int i, char c) {
    return Character.isWhitespace(Character.isSurrogate(c) ? t.codePointAt(i) : c);
  }

  private Shingled shingled(long[] units, int count, long exact) {
    if (count == 0) {
      return new Shingled(new long[0], exact);
    }
    if (count < n) {
      return new Shingled(new long[] {exact}, exact);
    }
    long[] out = new long[count - n + 1];
    for (int i = 0; i < out.length; i++) {
      out[i] = Hashing.combine(units, i, n);
    }
    return new Shingled(out, exact);
  }

  /** The units' hashes of a text, in order (no case folding). */
  static long[] units(String t, Unit unit) {
    Scan s = new Scan(t, unit, false);
    return Arrays.copyOf(s.units, s.count);
  }

  /**
   * One pass over a text: unit hashes (each {@link Hashing#chars} of the unit's lower-cased
   * characters when lowering) and the running hash of the text with whitespace runs collapsed to
   * one space and trimmed.
   */
  private static final class Scan {
    long[] units;
    int count;
    private long exact = Hashing.START;
    private long exactLength;

    Scan(String t, Unit unit, boolean lower) {
      units = new long[Math.max(16, t.length() / 4)];
      int len = t.length();
      long h = Hashing.START;
      int unitLength = 0;
      boolean inWord = false; // the open unit is a run of word characters (CODE_TOKEN)
      boolean spaceBefore = false;
      int i = 0;
      while (i < len) {
        char c = t.charAt(i);
        int cls;
        int width = 1;
        if (c < 128) {
          cls = ASCII_CLASS[c];
        } else if (Character.isSurrogate(c)) {
          int cp = t.codePointAt(i);
          width = Character.charCount(cp);
          cls = classOf(cp);
        } else {
          cls = classOf(c);
        }
        if (cls == SPACE) {
          if (unitLength > 0) {
            emit(h, unitLength);
            unitLength = 0;
          }
          spaceBefore = exactLength > 0;
          i += width;
          continue;
        }
        boolean joins =
            unitLength > 0
                && (unit == Unit.WORD || (unit == Unit.CODE_TOKEN && inWord && cls == WORD_CHAR));
        if (!joins && unitLength > 0) {
          emit(h, unitLength);
          unitLength = 0;
        }
        if (unitLength == 0) {
          h = Hashing.START;
          inWord = cls == WORD_CHAR;
        }
        if (spaceBefore) {
          exact = Hashing.step(exact, ' ');
          exactLength++;
          spaceBefore = false;
        }
        for (int j = i; j < i + width; j++) {
          char x = t.charAt(j);
          char l = lower ? lowerCase(x) : x;
          h = Hashing.step(h, l);
          exact = Hashing.step(exact, l);
        }
        unitLength += width;
        exactLength += width;
        i += width;
        boolean singleUnit = unit == Unit.CHAR || (unit == Unit.CODE_TOKEN && cls == OTHER);
        if (singleUnit) {
          emit(h, unitLength);
          unitLength = 0;
        }
      }
      if (unitLength > 0) {
        emit(h, unitLength);
      }
    }

    private void emit(long h, int length) {
      if (count == units.length) {
        units = Arrays.copyOf(units, units.length * 2);
      }
      units[count++] = Hashing.finish(h, length);
    }

    long exactHash() {
      return Hashing.finish(exact, exactLength);
    }
  }

  private static char lowerCase(char c) {
    if (c < 128) {
      return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
    return Character.toLowerCase(c);
  }

  private static byte classOf(int cp) {
    if (Character.isWhitespace(cp)) {
      return SPACE;
    }
    return cp == '_' || Character.isLetterOrDigit(cp) ? WORD_CHAR : OTHER;
  }

  /** True when at least 30% of the letters belong to scripts written without spaces. */
  static boolean unspaced(String t) {
    int letters = 0;
    int unspaced = 0;
    for (int i = 0; i < t.length(); ) {
      char c = t.charAt(i);
      if (c < 128) {
        i++;
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
          letters++;
        }
        continue;
      }
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
