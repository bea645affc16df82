package io.sluice.ingest.langid;

/**
 * Coarse writing-system classes used to narrow the candidate languages before n-gram scoring.
 *
 * <p>Han, Hiragana, Katakana and Bopomofo share one class ({@link #CJ}) because Japanese mixes Han
 * with Kana; Chinese vs Japanese is then decided by the unigram models, where Kana weigh heavily
 * for Japanese. The common blocks are tested with plain range checks because {@link
 * Character.UnicodeScript#of(int)} is a binary search and this runs once per sampled letter.
 */
final class Scripts {
  static final int OTHER = 0;
  static final int LATIN = 1;
  static final int CYRILLIC = 2;
  static final int GREEK = 3;
  static final int ARABIC = 4;
  static final int HEBREW = 5;
  static final int CJ = 6;
  static final int HANGUL = 7;
  static final int THAI = 8;
  static final int DEVANAGARI = 9;
  static final int BENGALI = 10;
  static final int GUJARATI = 11;
  static final int GURMUKHI = 12;
  static final int TAMIL = 13;
  static final int TELUGU = 14;
  static final int GEORGIAN = 15;
  static final int ARMENIAN = 16;
  static final int COUNT = 17;

  private Scripts() {}

  /** Script class of a letter code point; {@link #OTHER} for scripts no supported language uses. */
  static int of(int cp) {
    if (cp < 0x250) {
      return LATIN; // Basic Latin through Latin Extended-B (callers only pass letters)
    }
    if (cp >= 0x4E00 && cp <= 0x9FFF) {
      return CJ;
    }
    if (cp >= 0xAC00 && cp <= 0xD7AF) {
      return HANGUL;
    }
    if (cp >= 0x3040 && cp <= 0x30FF) {
      return CJ; // Hiragana and Katakana
    }
    if (cp >= 0x400 && cp <= 0x52F) {
      return CYRILLIC;
    }
    if (cp >= 0x600 && cp <= 0x6FF) {
      return ARABIC;
    }
    if (cp >= 0x370 && cp <= 0x3FF) {
      return GREEK;
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) {
      return LATIN; // Latin Extended Additional (Vietnamese)
    }
    return fromUnicodeScript(cp);
  }

  private static int fromUnicodeScript(int cp) {
    Character.UnicodeScript s;
    try {
      s = Character.UnicodeScript.of(cp);
    } catch (IllegalArgumentException e) {
      return OTHER;
    }
    switch (s) {
      case LATIN:
        return LATIN;
      case CYRILLIC:
        return CYRILLIC;
      case GREEK:
        return GREEK;
      case ARABIC:
        return ARABIC;
      case HEBREW:
        return HEBREW;
      case HAN:
      case HIRAGANA:
      case KATAKANA:
      case BOPOMOFO:
        return CJ;
      case HANGUL:
        return HANGUL;
      case THAI:
        return THAI;
      case DEVANAGARI:
        return DEVANAGARI;
      case BENGALI:
        return BENGALI;
      case GUJARATI:
        return GUJARATI;
      case GURMUKHI:
        return GURMUKHI;
      case TAMIL:
        return TAMIL;
      case TELUGU:
        return TELUGU;
      case GEORGIAN:
        return GEORGIAN;
      case ARMENIAN:
        return ARMENIAN;
      default:
        return OTHER;
    }
  }

  /**
   * How much a letter of this script counts when picking the dominant script. Mixed-script web
   * pages are overwhelmingly "local language plus English names, commands and URLs", and a
   * non-Latin letter carries more text than a Latin one (Arabic script omits short vowels; one Han
   * or Hangul character is about a word). So a Russian or Arabic page that is half English code by
   * letter count, or a Chinese page full of shell commands, is still judged by its prose.
   */
  static int weight(int script) {
    switch (script) {
      case LATIN:
        return 1;
      case CJ:
      case HANGUL:
        return 4;
      default:
        return 2;
    }
  }

  /** Hiragana or Katakana: decides Japanese vs Chinese among {@link #CJ} letters. */
  static boolean isKana(int cp) {
    return cp >= 0x3040 && cp <= 0x30FF
        || cp >= 0x31F0 && cp <= 0x31FF
        || cp >= 0xFF66 && cp <= 0xFF9D;
  }
}
