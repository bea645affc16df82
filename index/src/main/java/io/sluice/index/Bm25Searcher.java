package io.sluice.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * BM25 over all shards at once: one {@link MultiReader} over the shards' Lucene indexes, so term
 * statistics (and thus scores) are global, exactly as for one unsharded index. Queries are bags of
 * words as in Anserini: each distinct analyzed term is a SHOULD clause boosted by its count in the
 * query, over every contents field the index holds.
 *
 * <p>The global doc id of a passage is {@code docBase(shard) + ordinal}. Thread-safe for search.
 */
final class Bm25Searcher implements Closeable {

  private final MultiReader reader;
  private final IndexSearcher searcher;
  private final Map<String, Analyzer> analyzers = new LinkedHashMap<>();

  /**
   * @param readers one per shard, in shard order; ownership passes to this searcher
   */
  Bm25Searcher(List<DirectoryReader> readers, float k1, float b, List<String> analyzerKeys)
      throws IOException {
    this.reader = new MultiReader(readers.toArray(IndexReader[]::new), true);
    this.searcher = new IndexSearcher(reader);
    searcher.setSimilarity(new BM25Similarity(k1, b));
    for (String k : analyzerKeys) {
      analyzers.put(k, Analyzers.forKey(k));
    }
  }

  IndexSearcher searcher() {
    return searcher;
  }

  /** The query, or null when no term survives analysis (e.g. only stop words). */
  Query query(String text) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int clauses = 0;
    for (Map.Entry<String, Analyzer> e : analyzers.entrySet()) {
      String field = Analyzers.field(e.getKey());
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (String t : terms(e.getValue(), field, text)) {
        counts.merge(t, 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> t : counts.entrySet()) {
        Query q = new TermQuery(new Term(field, t.getKey()));
        all.add(
            t.getValue() == 1 ? q : new BoostQuery(q, t.getValue()), BooleanClause.Occur.SHOULD);
        clauses++;
      }
    }
    return clauses == 0 ? null : all.build();
  }

  private static List<String> terms(Analyzer a, String field, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * @param filter extra FILTER clauses (lang/kind/source), or null
   */
  ScoreDoc[] search(String text, Query filter, int n) {
    Query q = query(text);
    if (q == null) {
      return new ScoreDoc[0];
    }
    if (filter != null) {
      q =
          new BooleanQuery.Builder()
              .add(q, BooleanClause.Occur.MUST)
              .add(filter, BooleanClause.Occur.FILTER)
              .build();
    }
    try {
      // Total hits counted only up to n (not Lucene's default 1,000): the count is never shown, and
      // a low threshold lets MaxScore skip documents that cannot enter the top n from the start.
      // No concurrency: the searcher has no executor, so one collector sees every shard, and the
      // shared minimum-score accumulator would only add atomics to every competitive hit.
      TopDocs top = searcher.search(q, new TopScoreDocCollectorManager(n, null, n, false));
      return top.scoreDocs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
