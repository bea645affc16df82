package io.sluice.filtering.signals;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web-text signals of the Gopher quality and repetition rules, C4 and FineWeb, as datatrove
 * computes them, made language-aware: words of unspaced scripts are single characters ({@link
 * Words}), and the stop-word count is defined only where a list exists ({@link StopWords}).
 * Stateless and thread-safe.
 */
public final class WebSignals {

  private static final Set<String> C4_POLICY =
      Set.of(
          "terms of use",
          "privacy policy",
          "cookie policy",
          "uses cookies",
          "use of cookies",
          "use cookies");

  private WebSignals() {}

  /**
   * Fills the web signals of {@code v} (see {@link Signal}) for {@code text} in language {@code
   * lang}.
   */
  public static void compute(String text, String lang, double[] v) {
    TextLines t = new TextLines(text);
    List<String> words = Words.split(text);
    int nWords = words.size();
    long wordChars = 0;
    int alphaWords = 0;
    for (String w : words) {
      wordChars += w.length();
      if (hasLetter(w)) {
        alphaWords++;
      }
    }
    int nLines = t.lines.size();
    v[Signal.CHARS.ordinal()] = text.length();
    v[Signal.LINES.ordinal()] = nLines;
    v[Signal.WORDS.ordinal()] = nWords;
    v[Signal.MEAN_WORD_LENGTH.ordinal()] = nWords == 0 ? 0 : (double) wordChars / nWords;
    v[Signal.SYMBOL_WORD_RATIO.ordinal()] =
        nWords == 0
            ? 0
            : (count(text, "#") + count(text, "...") + count(text, "\u2026")) / (double) nWords;
    int bullets = 0;
    int ellipsis = 0;
    int punctEnded = 0;
    int shortLines = 0;
    for (String line : t.lines) {
      if (line.startsWith("\u2022") || line.startsWith("-") || line.startsWith("*")) {
        bullets++;
      }
      if (line.endsWith("...") || line.endsWith("\u2026")) {
        ellipsis++;
      }
      if (endsWithTerminalPunctuation(line)) {
        punctEnded++;
      }
      if (line.length() <= 30) {
        shortLines++;
      }
    }
    v[Signal.BULLET_LINES_RATIO.ordinal()] = nLines == 0 ? 0 : (double) bullets / nLines;
    v[Signal.ELLIPSIS_LINES_RATIO.ordinal()] = nLines == 0 ? 0 : (double) ellipsis / nLines;
    v[Signal.ALPHA_WORDS_RATIO.ordinal()] = nWords == 0 ? 0 : (double) alphaWords / nWords;
    Set<String> stop = StopWords.of(lang);
    if (stop != null) {
      int stops = 0;
      for (String w : words) {
        if (stop.contains(w.toLowerCase(Locale.ROOT))) {
          stops++;
        }
      }
      v[Signal.STOP_WORDS.ordinal()] = stops;
    }

    double chars = Math.max(1, text.length());
    TextLines.Duplicates dupLines = TextLines.duplicates(t.lines);
    TextLines.Duplicates dupParas = TextLines.duplicates(t.paragraphs);
    v[Signal.DUP_LINE_FRAC.ordinal()] = nLines == 0 ? 0 : (double) dupLines.elements() / nLines;
    v[Signal.DUP_PARA_FRAC.ordinal()] =
        t.paragraphs.isEmpty() ? 0 : (double) dupParas.elements() / t.paragraphs.size();
    v[Signal.DUP_LINE_CHAR_FRAC.ordinal()] = dupLines.chars() / chars;
    v[Signal.DUP_PARA_CHAR_FRAC.ordinal()] = dupParas.chars() / chars;
    NGrams grams = new NGrams(words);
    v[Signal.TOP_2GRAM_CHAR_FRAC.ordinal()] = grams.topFraction(2);
    v[Signal.TOP_3GRAM_CHAR_FRAC.ordinal()] = grams.topFraction(3);
    v[Signal.TOP_4GRAM_CHAR_FRAC.ordinal()] = grams.topFraction(4);
    for (int n = 5; n <= 10; n++) {
      v[Signal.DUP_5GRAM_CHAR_FRAC.ordinal() + n - 5] = grams.duplicatedFraction(n);
    }

    c4(t, text, v);
    v[Signal.LINE_PUNCT_RATIO.ordinal()] = nLines == 0 ? 0 : (double) punctEnded / nLines;
    v[Signal.SHORT_LINE_RATIO.ordinal()] = nLines == 0 ? 0 : (double) shortLines / nLines;
    v[Signal.CHAR_DUP_RATIO.ordinal()] = dupLines.chars() / chars;
    v[Signal.NEWLINE_WORD_RATIO.ordinal()] = nWords == 0 ? 0 : count(text, "\n") / (double) nWords;
  }

  /** C4's line filter, as signals: the fraction of lines it keeps and the sentences left. */
  private static void c4(TextLines t, String text, double[] v) {
    int kept = 0;
    int sentences = 0;
    for (String line : t.lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      boolean keep =
          endsWithTerminalPunctuation(line)
              && Words.countAtLeast(line, 3)
              && !lower.contains("javascript")
              && C4_POLICY.stream().noneMatch(lower::contains);
      if (keep) {
        kept++;
        sentences += sentenceCount(line);
      }
    }
    v[Signal.C4_LINES_KEPT_FRAC.ordinal()] = t.lines.isEmpty() ? 0 : (double) kept / t.lines.size();
    v[Signal.C4_SENTENCES.ordinal()] = sentences;
    v[Signal.C4_LOREM_IPSUM.ordinal()] =
        text.toLowerCase(Locale.ROOT).contains("lorem ipsum") ? 1 : 0;
    v[Signal.C4_CURLY_BRACKET.ordinal()] = text.indexOf('{') >= 0 ? 1 : 0;
  }

  static boolean endsWithTerminalPunctuation(String line) {
    if (line.isEmpty()) {
      return false;
    }
    char c = line.charAt(line.length() - 1);
    return c == '.'
        || c == '!'
        || c == '?'
        || c == '"'
        || c == '\u201D'
        || c == '\u3002'
        || c == '\uFF01'
        || c == '\uFF1F'
        || c == '\u0964'
        || c == '\u061F';
  }

  private static int sentenceCount(String line) {
    int n = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c == '.' || c == '!' || c == '?' || c == '\u3002')
          && (i + 1 == line.length() || Character.isWhitespace(line.charAt(i + 1)))) {
        n++;
      }
    }
    return Math.max(n, 1);
  }

  private static boolean hasLetter(String w) {
    for (int i = 0; i < w.length(); i++) {
      if (Character.isLetter(w.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /** Word n-gram statistics over word ids, as Gopher's repetition rules define them. */
  static final class NGrams {
    private final int[] ids;
    private final int[] lengths;
    private final long totalChars;

    NGrams(List<String> words) {
      Object2IntOpenHashMap<String> dict = new Object2IntOpenHashMap<>(words.size());
      dict.defaultReturnValue(-1);
      ids = new int[words.size()];
      lengths = new int[words.size()];
      long total = 0;
      for (int i = 0; i < ids.length; i++) {
        String w = words.get(i);
        int id = dict.getInt(w);
        if (id < 0) {
          id = dict.size();
          dict.put(w, id);
        }
        ids[i] = id;
        lengths[i] = w.length();
        total += w.length();
      }
      totalChars = Math.max(1, total);
    }

    private long key(int start, int n) {
      long h = 0x9E3779B97F4A7C15L;
      for (int i = start; i < start + n; i++) {
        h = (h ^ ids[i]) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
      }
      return h;
    }

    private long chars(int start, int n) {
      long c = 0;
      for (int i = start; i < start + n; i++) {
        c += lengths[i];
      }
      return c;
    }

    /** Characters of the most frequent n-gram times its count, over all word characters. */
    double topFraction(int n) {
      if (ids.length < n) {
        return 0;
      }
      Long2IntOpenHashMap counts = new Long2IntOpenHashMap(ids.length);
      int best = 0;
      int bestStart = 0;
      for (int i = 0; i + n <= ids.length; i++) {
        long k = key(i, n);
        int c = counts.addTo(k, 1) + 1;
        if (c > best) {
          best = c;
          bestStart = i;
        }
      }
      return best <= 1 ? 0 : chars(bestStart, n) * (double) best / totalChars;
    }

    /**
     * Characters covered by n-grams seen before (counting each position once), over all word
     * characters.
     */
    double duplicatedFraction(int n) {
      if (ids.length < n) {
        return 0;
      }
      LongOpenHashSet seen = new LongOpenHashSet(ids.length);
      boolean[] covered = new boolean[ids.length];
      for (int i = 0; i + n <= ids.length; i++) {
        if (!seen.add(key(i, n))) {
          for (int j = i; j < i + n; j++) {
            covered[j] = true;
          }
        }
      }
      long c = 0;
      for (int i = 0; i < covered.length; i++) {
        if (covered[i]) {
          c += lengths[i];
        }
      }
      return c / (double) totalChars;
    }
  }
}
