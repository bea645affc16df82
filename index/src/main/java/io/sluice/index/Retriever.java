package io.sluice.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * The entry point for searching an index directory written by {@link IndexJob}: query text in,
 * {@link Hit}s out, in {@link SearchMode#BM25}, {@link SearchMode#DENSE} or {@link
 * SearchMode#HYBRID} mode, optionally filtered by language, kind and source.
 *
 * <pre>{@code
 * try (Retriever r = Retriever.open(Path.of("out/index"))) {
 *   for (Hit h : r.search(SearchRequest.of("what causes tides", 10, SearchMode.HYBRID))) {
 *     System.out.println(h.score() + " " + h.docId() + " " + h.text());
 *   }
 * }
 * }</pre>
 *
 * <p>Opening verifies the manifest and (unless turned off) every file's sha256, and checks that the
 * query tower's dimension matches the dense index. Dense queries use the distilled query tower when
 * the index has one ({@code sluice distill}), else the document tower's own query side.
 *
 * <p>Filters are exact for BM25; for dense search each shard returns 10× more candidates, which are
 * then filtered, so a rare filter value may return fewer than k hits. Thread-safe: one instance
 * serves concurrent searches. Owns native memory (FAISS, ONNX): close it.
 */
public final class Retriever implements AutoCloseable {

  /** Reciprocal rank fusion constant (Cormack et al. 2009). */
  static final int RRF_K = 60;

  /**
   * How to open an index.
   *
   * @param verify check every file's sha256 against the manifest
   * @param queryTower {@code auto} (student if distilled, else teacher), {@code teacher}, {@code
   *     student}, or {@code student-raw} (the student's encoder without its trained head)
   * @param threads encoder threads (0 = all cores)
   * @param device {@code cpu} or {@code cuda}
   */
  public record Options(boolean verify, String queryTower, int threads, String device) {
    public static Options defaults() {
      return new Options(true, "auto", 0, "cpu");
    }

    public Options withQueryTower(String t) {
      return new Options(verify, t, threads, device);
    }

    public Options withVerify(boolean v) {
      return new Options(v, queryTower, threads, device);
    }
  }

  private final Path dir;
  private final IndexManifest manifest;
  private final Bm25Searcher bm25;
  private final List<FaissIndex> shards = new ArrayList<>();
  private final long[] docBase;
  private final QueryTower queryTower;

  private Retriever(Path dir, IndexManifest m, Options o) throws IOException {
    this.dir = dir;
    this.manifest = m;
    List<DirectoryReader> readers = new ArrayList<>();
    docBase = new long[m.shards().size()];
    long base = 0;
    Bm25Searcher lexical = null;
    try {
      for (int i = 0; i < m.shards().size(); i++) {
        IndexManifest.Shard s = m.shards().get(i);
        DirectoryReader r =
            DirectoryReader.open(FSDirectory.open(dir.resolve(s.name()).resolve("bm25")));
        readers.add(r);
        if (r.maxDoc() != s.passages()) {
          throw new IllegalArgumentException(
              "passage count mismatch in "
                  + dir.resolve(s.name())
                  + ": Lucene has "
                  + r.maxDoc()
                  + ", manifest says "
                  + s.passages());
        }
        docBase[i] = base;
        base += s.passages();
      }
      lexical = new Bm25Searcher(readers, m.bm25().k1(), m.bm25().b(), m.bm25().analyzers());
      readers.clear(); // owned by bm25 now
      if (m.dense() != null) {
        for (IndexManifest.Shard s : m.shards()) {
          Path f = dir.resolve(s.name()).resolve("dense.faiss");
          FaissIndex fi = FaissIndex.read(f);
          shards.add(fi);
          if (fi.dim() != m.dense().dim() || fi.size() != s.passages()) {
            throw new IllegalArgumentException(
                "dimension mismatch: FAISS "
                    + fi.dim()
                    + "-d with "
                    + fi.size()
                    + " vectors vs manifest "
                    + m.dense().dim()
                    + "-d with "
                    + s.passages()
                    + " passages (resource="
                    + f
                    + ")");
          }
          for (Map.Entry<String, Double> p : m.dense().searchParameters().entrySet()) {
            if (DenseType.applies(s.faiss(), p.getKey())) {
              fi.parameter(p.getKey(), p.getValue());
            }
          }
        }
        this.queryTower = queryTower(dir, m, o);
      } else {
        this.queryTower = null;
      }
    } catch (IOException | RuntimeException e) {
      for (DirectoryReader r : readers) {
        r.close();
      }
      if (lexical != null) {
        lexical.close();
      }
      closeQuietly();
      throw e;
    }
    this.bm25 = lexical;
  }

  private static QueryTower queryTower(Path dir, IndexManifest m, Options o) throws IOException {
    IndexManifest.QueryTower q = m.queryTower();
    boolean student =
        switch (o.queryTower()) {
          case "auto" -> q != null;
          case "teacher" -> false;
          case "student", "student-raw" -> {
            if (q == null) {
              throw new IllegalArgumentException(
                  "index " + dir + " has no distilled query tower (run sluice distill)");
            }
            yield true;
          }
          default ->
              throw new IllegalArgumentException(
                  "query tower must be auto, teacher or student; got '" + o.queryTower() + "'");
        };
    // student-raw: the small encoder without its head, the "before distillation" baseline.
    QueryTower t;
    if (!student) {
      t = QueryTower.encoder(new OnnxEncoder(m.dense().docTower(), o.threads(), o.device()), null);
    } else if (q.isStatic()) {
      if (o.queryTower().equals("student-raw")) {
        throw new IllegalArgumentException(
            "index " + dir + " has a static query tower: it has no encoder without a head");
      }
      t =
          QueryTower.of(
              StaticEmbeddings.read(
                  dir.resolve(q.head()), dir.resolve(StaticEmbeddings.TOKENIZER_FILE)),
              q.encoder().name());
    } else {
      t =
          QueryTower.encoder(
              new OnnxEncoder(q.encoder(), o.threads(), o.device()),
              o.queryTower().equals("student-raw") ? null : ProjectionHead.read(dir.resolve(q.head())));
    }
    if (t.dim() != m.dense().dim()) {
      t.close();
      throw new IllegalArgumentException(
          "dimension mismatch: query tower "
              + t.name()
              + "="
              + t.dim()
              + " vs index="
              + m.dense().dim()
              + " (resource="
              + dir.resolve(IndexManifest.FILE)
              + ")");
    }
    return t;
  }

  public static Retriever open(Path dir) throws IOException {
    return open(dir, Options.defaults());
  }

  public static Retriever open(Path dir, Options o) throws IOException {
    IndexManifest m = IndexManifest.read(dir);
    if (o.verify()) {
      m.verify(dir);
    }
    return new Retriever(dir, m, o);
  }

  /** Passages in the index. */
  public long passages() {
    return manifest.passages();
  }

  /** Documents in the index. */
  public long documents() {
    return manifest.documents();
  }

  /** True when the index has a dense part (dense and hybrid modes work). */
  public boolean hasDense() {
    return manifest.dense() != null;
  }

  /** The query tower's name (e.g. {@code all-minilm-l6-v2+head}), or null without dense. */
  public String queryTowerName() {
    return queryTower == null ? null : queryTower.name();
  }

  public List<Hit> search(SearchRequest r) {
    return searchBatch(List.of(r.query()), r).get(0);
  }

  /**
   * Runs the same request for many queries (encoding them in batches in dense and hybrid modes).
   *
   * @param r everything but the query text
   */
  public List<List<Hit>> searchBatch(List<String> queries, SearchRequest r) {
    return searchBatch(queries, r, () -> false);
  }

  /**
   * As {@link #searchBatch(List, SearchRequest)}, stopping early when {@code stop} says so: it is
   * asked before each query's BM25 search and every 64 hits' stored text, so a caller whose
   * request gave up (a server past its deadline) gets its thread back instead of finishing work
   * nobody will read.
   *
   * @throws CancellationException when stopped
   */
  public List<List<Hit>> searchBatch(List<String> queries, SearchRequest r, BooleanSupplier stop) {
    List<List<ScoreDoc>> ranked = rank(queries, r, r.k(), stop);
    List<List<Hit>> out = new ArrayList<>(queries.size());
    StoredFields stored = storedFields();
    for (List<ScoreDoc> docs : ranked) {
      List<Hit> hits = new ArrayList<>(Math.min(r.k(), docs.size()));
      for (ScoreDoc d : docs.subList(0, Math.min(r.k(), docs.size()))) {
        if ((hits.size() & 63) == 0) {
          checkStop(stop);
        }
        hits.add(hit(stored, d.doc, d.score));
      }
      out.add(hits);
    }
    return out;
  }

  private static void checkStop(BooleanSupplier stop) {
    if (stop.getAsBoolean()) {
      throw new CancellationException("search stopped: its caller gave up waiting");
    }
  }

  /**
   * Document-level search: the top {@code passageDepth} passages, collapsed to their documents by
   * the best passage (max score), at most {@code r.k()} documents per query. Each hit is the
   * document's best passage.
   */
  public List<List<Hit>> searchDocuments(List<String> queries, SearchRequest r, int passageDepth) {
    List<List<ScoreDoc>> ranked = rank(queries, r, Math.max(passageDepth, r.k()), () -> false);
    List<List<Hit>> out = new ArrayList<>(queries.size());
    List<LeafReaderContext> leaves = bm25.searcher().getIndexReader().leaves();
    StoredFields stored = storedFields();
    for (List<ScoreDoc> docs : ranked) {
      Set<String> seen = new HashSet<>();
      List<Hit> hits = new ArrayList<>();
      for (ScoreDoc d : docs) {
        if (seen.add(docIdOf(leaves, d.doc))) {
          hits.add(hit(stored, d.doc, d.score));
          if (hits.size() == r.k()) {
            break;
          }
        }
      }
      out.add(hits);
    }
    return out;
  }

  private static String docIdOf(List<LeafReaderContext> leaves, int doc) {
    LeafReaderContext c = leaves.get(ReaderUtil.subIndex(doc, leaves));
    try {
      SortedDocValues dv = c.reader().getSortedDocValues(Bm25ShardWriter.DOC_ID);
      if (dv == null || !dv.advanceExact(doc - c.docBase)) {
        throw new IllegalStateException("passage " + doc + " has no doc_id doc value");
      }
      return dv.lookupOrd(dv.ordValue()).utf8ToString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ranked global passage numbers per query, best first, at most depth (hybrid: fused). */
  private List<List<ScoreDoc>> rank(
      List<String> queries, SearchRequest r, int depth, BooleanSupplier stop) {
    if (r.mode() != SearchMode.BM25 && !hasDense()) {
      throw new IllegalArgumentException(
          "index " + dir + " has no dense part (built with --dense none): use mode bm25");
    }
    Query filter = filter(r);
    int candidates = r.mode() == SearchMode.HYBRID ? Math.max(100, depth) : depth;
    List<List<ScoreDoc>> dense = r.mode() == SearchMode.BM25 ? null : dense(queries, candidates, r);
    List<List<ScoreDoc>> out = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      checkStop(stop);
      List<ScoreDoc> docs =
          switch (r.mode()) {
            case BM25 -> List.of(bm25.search(queries.get(q), filter, depth));
            case DENSE -> dense.get(q);
            case HYBRID ->
                fuse(List.of(bm25.search(queries.get(q), filter, candidates)), dense.get(q), r);
          };
      out.add(docs.size() > depth ? docs.subList(0, depth) : docs);
    }
    return out;
  }

  private List<List<ScoreDoc>> dense(List<String> queries, int k, SearchRequest r) {
    float[] v = queryTower.encode(queries, 32);
    int fetch = r.filtered() ? 10 * k : k;
    List<List<ScoreDoc>> per = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      per.add(new ArrayList<>());
    }
    for (int s = 0; s < shards.size(); s++) {
      int n = (int) Math.min(fetch, shards.get(s).size());
      FaissIndex.Result res = shards.get(s).search(v, n);
      for (int q = 0; q < queries.size(); q++) {
        for (int j = 0; j < n; j++) {
          long label = res.labels()[q * n + j];
          if (label >= 0) {
            per.get(q).add(new ScoreDoc((int) (docBase[s] + label), res.scores()[q * n + j]));
          }
        }
      }
    }
    for (int q = 0; q < per.size(); q++) {
      List<ScoreDoc> l = per.get(q);
      l.sort(Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc));
      if (r.filtered()) {
        StoredFields stored = storedFields();
        l.removeIf(d -> !matches(stored, d.doc, r));
      }
      per.set(q, new ArrayList<>(l.subList(0, Math.min(k, l.size()))));
    }
    return per;
  }

  private static List<ScoreDoc> fuse(List<ScoreDoc> bm25, List<ScoreDoc> dense, SearchRequest r) {
    Map<Integer, Float> fused = new HashMap<>();
    if (r.fusion().equals("rrf")) {
      for (List<ScoreDoc> l : List.of(bm25, dense)) {
        for (int i = 0; i < l.size(); i++) {
          fused.merge(l.get(i).doc, 1f / (RRF_K + i + 1), Float::sum);
        }
      }
    } else {
      addNormalised(fused, bm25, (float) (1 - r.alpha()));
      addNormalised(fused, dense, (float) r.alpha());
    }
    List<ScoreDoc> out = new ArrayList<>();
    fused.forEach((d, s) -> out.add(new ScoreDoc(d, s)));
    out.sort(Comparator.comparingDouble((ScoreDoc d) -> -d.score).thenComparingInt(d -> d.doc));
    return out;
  }

  private static void addNormalised(Map<Integer, Float> fused, List<ScoreDoc> l, float w) {
    if (l.isEmpty()) {
      return;
    }
    float max = l.get(0).score;
    float min = l.get(l.size() - 1).score;
    for (ScoreDoc d : l) {
      float n = max > min ? (d.score - min) / (max - min) : 1f;
      fused.merge(d.doc, w * n, Float::sum);
    }
  }

  private static Query filter(SearchRequest r) {
    if (!r.filtered()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    add(b, Bm25ShardWriter.LANG, r.lang());
    add(b, Bm25ShardWriter.KIND, r.kind());
    add(b, Bm25ShardWriter.SOURCE, r.source());
    return b.build();
  }

  private static void add(BooleanQuery.Builder b, String field, String value) {
    if (value != null) {
      b.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER);
    }
  }

  private static boolean matches(StoredFields fields, int doc, SearchRequest r) {
    Document d = stored(fields, doc);
    return (r.lang() == null || r.lang().equals(d.get(Bm25ShardWriter.LANG)))
        && (r.kind() == null || r.kind().equals(d.get(Bm25ShardWriter.KIND)))
        && (r.source() == null || r.source().equals(d.get(Bm25ShardWriter.SOURCE)));
  }

  /**
   * A reader of stored fields for the hits of one call. Not shared across calls (it is not
   * thread-safe), but reused for all hits of a call: each new one slices the index files again.
   */
  private StoredFields storedFields() {
    try {
      return bm25.searcher().storedFields();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document stored(StoredFields fields, int doc) {
    try {
      return fields.document(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Hit hit(StoredFields fields, int doc, float score) {
    Document d = stored(fields, doc);
    Map<String, String> meta = new LinkedHashMap<>();
    for (IndexableField f : d.getFields()) {
      String n = f.name();
      if (!n.equals(Bm25ShardWriter.ID)
          && !n.equals(Bm25ShardWriter.DOC_ID)
          && !n.equals(Bm25ShardWriter.TEXT)
          && !n.equals(Bm25ShardWriter.TITLE)) {
        meta.put(n, f.numericValue() != null ? f.numericValue().toString() : f.stringValue());
      }
    }
    return new Hit(
        d.get(Bm25ShardWriter.ID),
        d.get(Bm25ShardWriter.DOC_ID),
        score,
        d.get(Bm25ShardWriter.TITLE),
        d.get(Bm25ShardWriter.TEXT),
        meta);
  }

  /**
   * Collapses passage hits to documents by their best passage (max score), keeping the order.
   *
   * @return at most k hits, one per document
   */
  public static List<Hit> byDocument(List<Hit> hits, int k) {
    Map<String, Hit> best = new LinkedHashMap<>();
    for (Hit h : hits) {
      best.merge(h.docId(), h, (a, b) -> a.score() >= b.score() ? a : b);
    }
    List<Hit> out = new ArrayList<>(best.values());
    out.sort(Comparator.comparingDouble((Hit h) -> -h.score()));
    return out.subList(0, Math.min(k, out.size()));
  }

  /**
   * Median time to encode one query with this retriever's query tower, each query alone (the
   * latency a single request sees), after a few warm-up queries.
   */
  public double queryLatencyMillis(List<String> queries) {
    if (queryTower == null) {
      throw new IllegalStateException("index " + dir + " has no dense part");
    }
    for (int i = 0; i < Math.min(5, queries.size()); i++) {
      queryTower.encode(List.of(queries.get(i)), 1);
    }
    double[] ms = new double[queries.size()];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      queryTower.encode(List.of(queries.get(i)), 1);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    return ms.length == 0 ? 0 : ms[ms.length / 2];
  }

  IndexManifest manifest() {
    return manifest;
  }

  Path dir() {
    return dir;
  }

  private void closeQuietly() {
    for (FaissIndex f : shards) {
      f.close();
    }
    shards.clear();
  }

  @Override
  public void close() throws IOException {
    try {
      closeQuietly();
      if (queryTower != null) {
        queryTower.close();
      }
    } finally {
      if (bm25 != null) {
        bm25.close();
      }
    }
  }

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(IndexManifest.FILE));
  }
}
