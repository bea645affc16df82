package io.sluice.index;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * Which Lucene analyzer reads a passage, by its language. Each analyzer has its own contents field
 * ({@code contents_en}, {@code contents_cjk}, …) so that term statistics never mix languages; a
 * query is analyzed once per field present in the index.
 *
 * <p>English is Lucene's {@link EnglishAnalyzer} — standard tokenizer, possessive filter, lower
 * case, Lucene's English stop words, Porter stemming — which is exactly Anserini's {@code
 * DefaultEnglishAnalyzer} (the analyzer behind its published BEIR BM25 scores). Chinese, Japanese
 * and Korean share the CJK bigram analyzer; code and unknown languages get the standard analyzer
 * without stop words.
 */
final class Analyzers {

  static final String FIELD_PREFIX = "contents_";

  private Analyzers() {}

  /** The analyzer key (field suffix) for a passage's kind and language. */
  static String key(String kind, String lang) {
    if ("code".equals(kind)) {
      return "code";
    }
    String l = lang == null ? "" : lang.toLowerCase(Locale.ROOT);
    return switch (l) {
      case "en", "de", "fr", "es", "it", "pt", "nl", "ru", "ar" -> l;
      case "zh", "ja", "ko" -> "cjk";
      default -> "std";
    };
  }

  static String field(String key) {
    return FIELD_PREFIX + key;
  }

  static Analyzer forKey(String key) {
    return switch (key) {
      case "en" -> new EnglishAnalyzer();
      case "de" -> new GermanAnalyzer();
      case "fr" -> new FrenchAnalyzer();
      case "es" -> new SpanishAnalyzer();
      case "it" -> new ItalianAnalyzer();
      case "pt" -> new PortugueseAnalyzer();
      case "nl" -> new DutchAnalyzer();
      case "ru" -> new RussianAnalyzer();
      case "ar" -> new ArabicAnalyzer();
      case "cjk" -> new CJKAnalyzer();
      case "code", "std" -> new StandardAnalyzer(CharArraySet.EMPTY_SET);
      default -> throw new IllegalArgumentException("unknown analyzer key: " + key);
    };
  }

  /** One analyzer for all contents fields (the writer's and the query parser's view). */
  static Analyzer perField() {
    Map<String, Analyzer> m = new HashMap<>();
    for (String k :
        new String[] {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "ar", "cjk", "code", "std"}) {
      m.put(field(k), forKey(k));
    }
    return new PerFieldAnalyzerWrapper(new StandardAnalyzer(CharArraySet.EMPTY_SET), m);
  }
}
