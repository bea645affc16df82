package io.sluice.index;

import io.sluice.core.storage.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;

/**
 * Query-tower distillation (ScalingNote): trains a {@link ProjectionHead} on the frozen small
 * encoder so that its query embeddings land on the large document tower's query embeddings, then
 * stores the head in the index ({@code query-head.bin}) and records the student in the manifest.
 *
 * <p>Training texts are the given queries (minus any evaluation queries, so nothing leaks) plus
 * pseudo-queries: the first sentence of passages sampled from the index. With evaluation qrels it
 * also reports, on the evaluation queries, nDCG@10 and Recall@100 of teacher queries, of the
 * student before (encoder alone) and after distillation, and of BM25, with the per-query encoding
 * latency of each tower.
 */
public final class Distiller {

  /** File name of the trained head inside the index directory. */
  public static final String HEAD_FILE = "query-head.bin";

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

  /**
   * @param student the small encoder
   * @param mlpHidden 0 for a linear head, else the hidden width of a one-layer MLP
   * @param pseudoQueries passages sampled for first-sentence pseudo-queries
   * @param evalQrels qrels whose queries are held out and evaluated (null: no evaluation)
   */
  public record Options(
      TowerConfig student,
      int mlpHidden,
      int pseudoQueries,
      double lr,
      int epochs,
      int batch,
      double wMse,
      double wCos,
      long seed,
      Path evalQrels,
      int threads) {
    public Options {
      Objects.requireNonNull(student, "student");
      if (mlpHidden < 0 || pseudoQueries < 0) {
        throw new IllegalArgumentException("mlpHidden and pseudoQueries must be >= 0");
      }
    }

    public static Options defaults() {
      return new Options(
          TowerConfig.ALL_MINILM_L6_V2, 0, 4000, 1e-3, 30, 64, 1.0, 1.0, 42L, null, 0);
    }

    public Options withEval(Path qrels) {
      return new Options(
          student, mlpHidden, pseudoQueries, lr, epochs, batch, wMse, wCos, seed, qrels, threads);
    }

    public Options withTraining(
        int hidden, int pseudo, double lr, int epochs, double wMse, double wCos) {
      return new Options(
          student, hidden, pseudo, lr, epochs, batch, wMse, wCos, seed, evalQrels, threads);
    }
  }

  /**
   * What distillation did and measured.
   *
   * @param trainTexts queries + pseudo-queries used
   * @param validationLossBefore loss of the untrained head on the held-out tenth
   * @param validationLossAfter loss of the trained head on it
   * @param validationCosine mean cosine(student, teacher) on it after training
   * @param metrics per setting (teacher, student-before, student-after, bm25): nDCG@10, Recall@100,
   *     query latency p50 in ms; empty without evaluation qrels
   */
  public record Report(
      int trainQueries,
      int pseudoQueries,
      double validationLossBefore,
      double validationLossAfter,
      double validationCosine,
      double seconds,
      Map<String, Map<String, Double>> metrics) {}

  private Distiller() {}

  public static Report run(Path index, Path queriesFile, Options o) throws IOException {
    long start = System.nanoTime();
    IndexManifest m = IndexManifest.read(index);
    if (m.dense() == null) {
      throw new IllegalArgumentException(
          "index " + index + " has no dense part (built with --dense none): nothing to distil to");
    }
    Map<String, String> queries = Queries.read(queriesFile);
    Map<String, Map<String, Integer>> qrels =
        o.evalQrels() == null ? Map.of() : TrecEval.readQrels(o.evalQrels());
    List<String> texts = new ArrayList<>();
    queries.forEach(
        (id, q) -> {
          if (!qrels.containsKey(id)) {
            texts.add(q);
          }
        });
    int trainQueries = texts.size();
    List<String> pseudo = pseudoQueries(index, m, o.pseudoQueries(), o.seed());
    texts.addAll(pseudo);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(
          "no training text: every query in "
              + queriesFile
              + " is an evaluation query and no"
              + " pseudo-queries were asked for");
    }
    float[] x;
    float[] t;
    int dIn;
    try (OnnxEncoder teacher = new OnnxEncoder(m.dense().docTower(), o.threads(), "cpu");
        OnnxEncoder student = new OnnxEncoder(o.student(), o.threads(), "cpu")) {
      if (teacher.dim() != m.dense().dim()) {
        throw new IllegalArgumentException(
            "dimension mismatch: teacher "
                + teacher.dim()
                + " vs index "
                + m.dense().dim()
                + " (resource="
                + index.resolve(IndexManifest.FILE)
                + ")");
      }
      t = teacher.encodeQueries(texts, 32);
      x = student.encodeQueries(texts, 32);
      dIn = student.dim();
    }
    int dOut = m.dense().dim();
    int n = texts.size();
    // A seeded tenth is held out to report the loss; the rest trains.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), new Random(o.seed()));
    int nVal = Math.max(1, n / 10);
    float[] xv = gather(x, order, 0, nVal, dIn);
    float[] tv = gather(t, order, 0, nVal, dOut);
    float[] xt = gather(x, order, nVal, n, dIn);
    float[] tt = gather(t, order, nVal, n, dOut);
    ProjectionHead head = new ProjectionHead(dIn, o.mlpHidden(), dOut, o.mlpHidden() > 0);
    HeadTrainer trainer =
        new HeadTrainer(
            head,
            new HeadTrainer.Settings(o.lr(), o.epochs(), o.batch(), o.wMse(), o.wCos(), o.seed()));
    double before = trainer.loss(xv, tv);
    trainer.train(xt.length == 0 ? xv : xt, tt.length == 0 ? tv : tt);
    double after = trainer.loss(xv, tv);
    double cosine = meanCosine(head.apply(xv), tv, dOut);

    Path headFile = index.resolve(HEAD_FILE);
    Path tmpHead = index.resolve("." + HEAD_FILE + ".tmp");
    head.write(tmpHead);
    Files.move(
        tmpHead, headFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", "mse*" + o.wMse() + " + (1-cos)*" + o.wCos());
    training.put("head", o.mlpHidden() > 0 ? "mlp-" + o.mlpHidden() : "linear");
    training.put("train_queries", trainQueries);
    training.put("pseudo_queries", pseudo.size());
    training.put("epochs", o.epochs());
    training.put("lr", o.lr());
    training.put("validation_loss", after);
    training.put("validation_cosine", cosine);
    List<IndexManifest.FileEntry> files = new ArrayList<>();
    for (IndexManifest.FileEntry f : m.files()) {
      if (!f.path().equals(HEAD_FILE)) {
        files.add(f);
      }
    }
    files.add(new IndexManifest.FileEntry(HEAD_FILE, Files.size(headFile), Sha256.of(headFile)));
    IndexManifest updated =
        m.withQueryTower(
            new IndexManifest.QueryTower(o.student(), HEAD_FILE, dIn, dOut, training), files);
    Path tmpManifest = index.resolve("." + IndexManifest.FILE + ".tmp");
    Files.writeString(tmpManifest, updated.toJson());
    Files.move(
        tmpManifest,
        index.resolve(IndexManifest.FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);

    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    if (!qrels.isEmpty()) {
      Map<String, String> eval = new LinkedHashMap<>();
      queries.forEach(
          (id, q) -> {
            if (qrels.containsKey(id)) {
              eval.put(id, q);
            }
          });
      metrics.put("teacher", evaluate(index, "teacher", SearchMode.DENSE, eval, qrels, o));
      if (dIn == dOut) {
        metrics.put(
            "student-before", evaluate(index, "student-raw", SearchMode.DENSE, eval, qrels, o));
      }
      metrics.put("student-after", evaluate(index, "student", SearchMode.DENSE, eval, qrels, o));
      metrics.put("bm25", evaluate(index, "teacher", SearchMode.BM25, eval, qrels, o));
      metrics.put("hybrid-student", evaluate(index, "student", SearchMode.HYBRID, eval, qrels, o));
    }
    return new Report(
        trainQueries,
        pseudo.size(),
        before,
        after,
        cosine,
        (System.nanoTime() - start) / 1e9,
        metrics);
  }

  private static Map<String, Double> evaluate(
      Path index,
      String tower,
      SearchMode mode,
      Map<String, String> queries,
      Map<String, Map<String, Integer>> qrels,
      Options o)
      throws IOException {
    try (Retriever r =
        Retriever.open(
            index,
            new Retriever.Options(
                false, mode == SearchMode.BM25 ? "teacher" : tower, o.threads(), "cpu"))) {
      List<String> ids = new ArrayList<>(queries.keySet());
      List<List<Hit>> hits =
          r.searchDocuments(
              new ArrayList<>(queries.values()), SearchRequest.of("", 100, mode), 1000);
      Map<String, List<TrecEval.RunEntry>> run = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        List<TrecEval.RunEntry> l = new ArrayList<>();
        for (Hit h : hits.get(i)) {
          l.add(new TrecEval.RunEntry(h.docId(), h.score()));
        }
        run.put(ids.get(i), l);
      }
      Map<String, Double> m = new LinkedHashMap<>(TrecEval.evaluate(run, qrels));
      if (mode == SearchMode.DENSE) {
        m.put(
            "latency_p50_ms",
            r.queryLatencyMillis(ids.stream().map(queries::get).limit(100).toList()));
      }
      return m;
    }
  }

  private static float[] gather(float[] v, Integer[] order, int from, int to, int d) {
    float[] out = new float[(to - from) * d];
    for (int i = from; i < to; i++) {
      System.arraycopy(v, order[i] * d, out, (i - from) * d, d);
    }
    return out;
  }

  private static double meanCosine(float[] y, float[] t, int d) {
    int n = y.length / d;
    double s = 0;
    for (int i = 0; i < n; i++) {
      double dot = 0;
      double tt = 0;
      for (int k = 0; k < d; k++) {
        dot += y[i * d + k] * t[i * d + k];
        tt += t[i * d + k] * t[i * d + k];
      }
      s += dot / Math.sqrt(tt); // y rows are unit length
    }
    return s / n;
  }

  /** First sentences (4 to 32 words) of passages sampled with a seed. */
  static List<String> pseudoQueries(Path index, IndexManifest m, int n, long seed)
      throws IOException {
    List<String> out = new ArrayList<>();
    if (n == 0) {
      return out;
    }
    Random r = new Random(seed);
    long total = m.passages();
    Set<Long> tried = new java.util.HashSet<>();
    long base = 0;
    List<long[]> ranges = new ArrayList<>();
    for (IndexManifest.Shard s : m.shards()) {
      ranges.add(new long[] {base, base + s.passages()});
      base += s.passages();
    }
    List<DirectoryReader> readers = new ArrayList<>();
    try {
      for (IndexManifest.Shard s : m.shards()) {
        readers.add(
            DirectoryReader.open(FSDirectory.open(index.resolve(s.name()).resolve("bm25"))));
      }
      while (out.size() < n && tried.size() < Math.min(total, 4L * n)) {
        long g = (long) (r.nextDouble() * total);
        if (!tried.add(g)) {
          continue;
        }
        int shard = 0;
        while (g >= ranges.get(shard)[1]) {
          shard++;
        }
        StoredFields sf = readers.get(shard).storedFields();
        String text = sf.document((int) (g - ranges.get(shard)[0])).get(Bm25ShardWriter.TEXT);
        String first = SENTENCE_END.split(text.strip(), 2)[0];
        String[] words = first.split("\\s+");
        if (words.length >= 4) {
          out.add(String.join(" ", Arrays.copyOf(words, Math.min(32, words.length))));
        }
      }
    } finally {
      for (DirectoryReader d : readers) {
        d.close();
      }
    }
    return out;
  }
}
