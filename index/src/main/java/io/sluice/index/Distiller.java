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
   * @param student the small encoder; null for a {@link StaticEmbeddings} tower (token vectors
   *     over the document tower's tokenizer, no encoder at query time)
   * @param mlpHidden 0 for a linear head, else the hidden width of a one-layer MLP (encoder only)
   * @param pseudoQueries pseudo-queries, sentences of passages sampled from the index: the first
   *     sentence of each for an encoder student, every sentence for a static one (which has many
   *     more parameters to train)
   * @param evalQrels qrels whose queries are held out and evaluated (null: no evaluation)
   * @param wholeVocabulary static only: start every token of the vocabulary from the teacher
   *     (true), or only those in the training texts, the others staying zero (false: much faster
   *     on large vocabularies, but a query word the texts never had then adds nothing)
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
      int threads,
      boolean wholeVocabulary) {
    public Options {
      if (mlpHidden < 0 || pseudoQueries < 0) {
        throw new IllegalArgumentException("mlpHidden and pseudoQueries must be >= 0");
      }
    }

    /** all-MiniLM-L6-v2 + linear head, 4,000 pseudo-queries, Adam 1e-3 for 30 epochs. */
    public static Options defaults() {
      return new Options(
          TowerConfig.ALL_MINILM_L6_V2, 0, 4000, 1e-3, 30, 64, 1.0, 1.0, 42L, null, 0, true);
    }

    /** A static tower: 20,000 pseudo-queries, Adam 0.01 for 8 epochs, cosine loss. */
    public static Options staticTower() {
      return new Options(null, 0, 20_000, 1e-2, 8, 64, 0.0, 1.0, 42L, null, 0, true);
    }

    public boolean isStatic() {
      return student == null;
    }

    public Options withEval(Path qrels) {
      return new Options(
          student,
          mlpHidden,
          pseudoQueries,
          lr,
          epochs,
          batch,
          wMse,
          wCos,
          seed,
          qrels,
          threads,
          wholeVocabulary);
    }

    public Options withWholeVocabulary(boolean whole) {
      return new Options(
          student,
          mlpHidden,
          pseudoQueries,
          lr,
          epochs,
          batch,
          wMse,
          wCos,
          seed,
          evalQrels,
          threads,
          whole);
    }

    public Options withTraining(
        int hidden, int pseudo, double lr, int epochs, double wMse, double wCos) {
      return new Options(
          student,
          hidden,
          pseudo,
          lr,
          epochs,
          batch,
          wMse,
          wCos,
          seed,
          evalQrels,
          threads,
          wholeVocabulary);
    }
  }

  /**
   * What distillation did and measured.
   *
   * @param trainTexts queries + pseudo-queries used
   * @param validationLossBefore loss of the untrained student on the held-out tenth
   * @param validationLossAfter loss of the trained student on it
   * @param validationCosine mean cosine(student, teacher) on it after training
   * @param file the trained student's file in the index
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
      Path file,
      Map<String, Map<String, Double>> metrics) {}

  /**
   * What training left: the student's manifest entry (its training map holding what is particular
   * to its type), the files it wrote into the index (the student's own first), its losses.
   */
  private record Trained(
      IndexManifest.QueryTower tower,
      List<String> files,
      double lossBefore,
      double lossAfter,
      double cosine) {}

  private Distiller() {}

  /**
   * Trains the student and stores it in the index.
   *
   * @param queriesFile training queries (BEIR JSONL), or null to train on pseudo-queries alone
   */
  public static Report run(Path index, Path queriesFile, Options o) throws IOException {
    long start = System.nanoTime();
    IndexManifest m = IndexManifest.read(index);
    if (m.dense() == null) {
      throw new IllegalArgumentException(
          "index " + index + " has no dense part (built with --dense none): nothing to distil to");
    }
    if (queriesFile == null && o.evalQrels() != null) {
      throw new IllegalArgumentException(
          "evaluation qrels " + o.evalQrels() + " need the queries file their queries are in");
    }
    Map<String, String> queries = queriesFile == null ? Map.of() : Queries.read(queriesFile);
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
    List<String> pseudo = pseudoQueries(index, m, o.pseudoQueries(), o.isStatic(), o.seed());
    texts.addAll(pseudo);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(
          "no training text: "
              + (queriesFile == null
                  ? "no queries file"
                  : "every query in " + queriesFile + " is an evaluation query")
              + " and no pseudo-queries were asked for");
    }
    // A seeded tenth is held out to report the loss; the rest trains.
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), new Random(o.seed()));
    int nVal = Math.max(1, order.length / 10);
    Trained trained;
    try (OnnxEncoder teacher = new OnnxEncoder(m.dense().docTower(), o.threads(), "cpu")) {
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
      float[] t = teacher.encodeQueries(texts, 32);
      trained =
          o.isStatic()
              ? trainStatic(index, m, teacher, texts, t, order, nVal, o)
              : trainHead(index, m, texts, t, order, nVal, o);
    }

    List<IndexManifest.FileEntry> files = new ArrayList<>();
    Set<String> replaced = Set.of(HEAD_FILE, StaticEmbeddings.FILE, StaticEmbeddings.TOKENIZER_FILE);
    for (IndexManifest.FileEntry f : m.files()) {
      if (!replaced.contains(f.path())) {
        files.add(f);
      }
    }
    for (String f : trained.files()) {
      Path p = index.resolve(f);
      files.add(new IndexManifest.FileEntry(f, Files.size(p), Sha256.of(p)));
    }
    Map<String, Object> training = new LinkedHashMap<>(trained.tower().training());
    training.put("train_queries", trainQueries);
    training.put("pseudo_queries", pseudo.size());
    training.put("epochs", o.epochs());
    training.put("lr", o.lr());
    training.put("validation_loss", trained.lossAfter());
    training.put("validation_cosine", trained.cosine());
    IndexManifest updated = m.withQueryTower(trained.tower().withTraining(training), files);
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
      if (!o.isStatic() && trained.tower().dimIn() == trained.tower().dimOut()) {
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
        trained.lossBefore(),
        trained.lossAfter(),
        trained.cosine(),
        (System.nanoTime() - start) / 1e9,
        index.resolve(trained.files().get(0)),
        metrics);
  }

  /** Trains a projection head on the frozen small encoder and writes it into the index. */
  private static Trained trainHead(
      Path index,
      IndexManifest m,
      List<String> texts,
      float[] t,
      Integer[] order,
      int nVal,
      Options o)
      throws IOException {
    float[] x;
    int dIn;
    try (OnnxEncoder student = new OnnxEncoder(o.student(), o.threads(), "cpu")) {
      x = student.encodeQueries(texts, 32);
      dIn = student.dim();
    }
    int dOut = m.dense().dim();
    int n = texts.size();
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
    Path tmp = index.resolve("." + HEAD_FILE + ".tmp");
    head.write(tmp);
    Files.move(
        tmp, index.resolve(HEAD_FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", "mse*" + o.wMse() + " + (1-cos)*" + o.wCos());
    training.put("head", o.mlpHidden() > 0 ? "mlp-" + o.mlpHidden() : "linear");
    return new Trained(
        new IndexManifest.QueryTower(
            o.student(), HEAD_FILE, dIn, dOut, training, IndexManifest.QueryTower.ENCODER_HEAD),
        List.of(HEAD_FILE),
        before,
        after,
        cosine);
  }

  /**
   * Distils a static tower over the teacher's tokenizer ({@link StaticTrainer}) and writes it and
   * a copy of the tokenizer into the index.
   */
  private static Trained trainStatic(
      Path index,
      IndexManifest m,
      OnnxEncoder teacher,
      List<String> texts,
      float[] t,
      Integer[] order,
      int nVal,
      Options o)
      throws IOException {
    TowerConfig docTower = m.dense().docTower();
    byte[] tokenizer = OnnxEncoder.read(docTower.tokenizer(), "tokenizer");
    int d = m.dense().dim();
    int n = texts.size();
    StaticTrainer.Start start =
        StaticTrainer.start(tokenizer, docTower.tokenizer(), teacher, texts, o.wholeVocabulary());
    try (StaticEmbeddings tower = start.tower()) {
      List<long[]> tokens = start.tokens();
      List<long[]> tokVal = new ArrayList<>();
      List<long[]> tokTrain = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (i < nVal ? tokVal : tokTrain).add(tokens.get(order[i]));
      }
      float[] tv = gather(t, order, 0, nVal, d);
      float[] tt = gather(t, order, nVal, n, d);
      StaticTrainer trainer =
          new StaticTrainer(
              tower, new StaticTrainer.Settings(o.lr(), o.epochs(), o.batch(), o.seed()));
      double before = trainer.loss(tokVal, tv);
      trainer.train(tokTrain.isEmpty() ? tokVal : tokTrain, tokTrain.isEmpty() ? tv : tt);
      double after = trainer.loss(tokVal, tv);
      Path tmp = index.resolve("." + StaticEmbeddings.FILE + ".tmp");
      tower.write(tmp);
      Path tmpTok = index.resolve("." + StaticEmbeddings.TOKENIZER_FILE + ".tmp");
      Files.write(tmpTok, tokenizer);
      Files.move(
          tmpTok,
          index.resolve(StaticEmbeddings.TOKENIZER_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.move(
          tmp,
          index.resolve(StaticEmbeddings.FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("loss", "1-cos");
      training.put(
          "start",
          "teacher vectors of single tokens x idf, "
              + (o.wholeVocabulary() ? "whole vocabulary" : "tokens of the training texts"));
      training.put("vocabulary", tower.vocab());
      return new Trained(
          new IndexManifest.QueryTower(
              docTower,
              StaticEmbeddings.FILE,
              tower.vocab(),
              d,
              training,
              IndexManifest.QueryTower.STATIC),
          List.of(StaticEmbeddings.FILE, StaticEmbeddings.TOKENIZER_FILE),
          before,
          after,
          1 - after);
    }
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

  /**
   * Sentences (4 to 32 words) of passages sampled with a seed: the first of each, or with {@code
   * anySentence} all of each (many more texts from the same index).
   */
  static List<String> pseudoQueries(
      Path index, IndexManifest m, int n, boolean anySentence, long seed)
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
        String[] sentences = SENTENCE_END.split(text.strip(), anySentence ? 0 : 2);
        for (int i = 0; i < (anySentence ? sentences.length : 1) && out.size() < n; i++) {
          String[] words = sentences[i].split("\\s+");
          if (words.length >= 4) {
            out.add(String.join(" ", Arrays.copyOf(words, Math.min(32, words.length))));
          }
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
