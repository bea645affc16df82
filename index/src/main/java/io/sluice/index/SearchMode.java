package io.sluice.index;

import java.util.Locale;

/** How a query is answered: BM25 (Lucene), dense (query tower + FAISS), or their fusion. */
public enum SearchMode {
  BM25,
  DENSE,
  HYBRID;

  public static SearchMode parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be bm25, dense or hybrid; got '" + s + "'");
    }
  }
}
