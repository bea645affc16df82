package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.dedup.DedupJob;
import io.sluice.dedup.MinHashSignatures;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./bench dedup}: MinHash signature throughput per core (Sluice's shingling and hashing
 * beside a bare loop of word 5-grams × 112 multiply-shift permutations, the issue's anchor), the
 * whole near-dedup Spark job per core on the shared code corpus, and precision/recall of exact and
 * near dedup on the labelled CPython/PyPy, commons-lang and x/net pairs.
 */
public final class DedupBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DedupBenchmark() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path data = SharedData.root();
    out.println(Report.header(data));
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Path f : SharedData.files(data.resolve("code"), "code-*.jsonl.gz")) {
      ids.addAll(SharedData.jsonlField(f, "id"));
      texts.addAll(SharedData.jsonlField(f, "text"));
    }
    long bytes = 0;
    for (String t : texts) {
      bytes += t.getBytes(StandardCharsets.UTF_8).length;
    }
    String notes =
        String.format(
            Locale.ROOT, "MB of source code (UTF-8), %d files, 14 languages", texts.size());
    MinHashSignatures sigs = new MinHashSignatures(5, 112);
    List<Workload> loads =
        List.of(
            new Workload(
                "signatures",
                "Sluice MinHash (code tokens, 112 hashes)",
                bytes,
                1,
                notes,
                () -> {
                  long n = 0;
                  for (String t : texts) {
                    n += sigs.of(t, "code")[0];
                  }
                  Passes.consume(n);
                  return texts.size();
                }),
            new Workload(
                "signatures",
                "Sluice MinHash (as web text: word 5-grams)",
                bytes,
                1,
                notes,
                () -> {
                  long n = 0;
                  for (String t : texts) {
                    n += sigs.of(t, "web")[0];
                  }
                  Passes.consume(n);
                  return texts.size();
                }),
            new Workload(
                "signatures",
                "bare loop: word 5-grams, 64-bit hash, 112 mult-shift (anchor)",
                bytes,
                1,
                notes,
                () -> bareLoop(texts)));
    System.err.println("dedup: signatures");
    List<Passes.Result> results = new ArrayList<>(Passes.sideBySide(2, 5, loads));
    if (args.length > 0 && args[0].equals("dedup-signatures")) {
      out.println(Report.table(results));
      return;
    }

    Path tmp = Files.createTempDirectory("sluice-bench-dedup");
    try {
      Path corpus = tmp.resolve("code.jsonl");
      try (BufferedWriter w = Files.newBufferedWriter(corpus)) {
        for (int i = 0; i < texts.size(); i++) {
          ObjectNode n = JSON.createObjectNode();
          n.put("id", ids.get(i));
          n.put("text", texts.get(i));
          n.put("kind", "code");
          n.put("lang", "code");
          w.write(JSON.writeValueAsString(n));
          w.newLine();
        }
      }
      SparkSession spark = SparkSessions.create("bench-dedup", StorageConfig.defaults());
      String parquet = tmp.resolve("code.parquet").toString();
      spark.read().json(corpus.toString()).write().parquet(parquet);
      int copies = Integer.parseInt(System.getenv().getOrDefault("SLUICE_DEDUP_COPIES", "8"));
      String scaled = tmp.resolve("scaled.parquet").toString();
      long scaledBytes = writePerturbedCopies(spark, ids, texts, copies, scaled);
      spark.stop();
      String output = tmp.resolve("out").toString();
      record Input(String path, long bytes, long docs, String what, int warmups, int rounds) {}
      List<Input> inputs =
          List.of(
              new Input(corpus.toString(), bytes, texts.size(), "code corpus, JSONL", 1, 3),
              new Input(parquet, bytes, texts.size(), "code corpus, Parquet", 1, 3),
              new Input(
                  scaled,
                  scaledBytes,
                  (long) texts.size() * copies,
                  copies + " perturbed copies of the code corpus (near duplicates), Parquet",
                  0,
                  2));
      // The embedded session `./sluice dedup` runs (local[*], shuffle partitions 2 x cores), on
      // both cores of this machine: the Spark job's throughput per core is what the issue asks for.
      SparkSession session = SparkSessions.create("bench-dedup", StorageConfig.defaults());
      DedupJob job = new DedupJob(session);
      for (Input in : inputs) {
        Workload w =
            new Workload(
                "near dedup",
                "DedupJob, embedded local[*] (exact + LSH + CC)",
                in.bytes(),
                Runtime.getRuntime().availableProcessors(),
                in.what() + "; survivors and removed written",
                () -> {
                  job.run(DedupJob.Options.builder(in.path(), output).force(true).build());
                  return in.docs();
                });
        System.err.println("dedup: job on " + in.what());
        results.addAll(Passes.sideBySide(in.warmups(), in.rounds(), List.of(w)));
      }
      session.stop();
      out.println(Report.table(results));
      out.println(labelledPairs(data, tmp));
    } finally {
      // A few hundred MB of corpora and outputs: not left behind in /tmp.
      try (Storage local = Storage.forPath(tmp.toString(), StorageConfig.defaults())) {
        local.delete(tmp.toString());
      }
    }
  }

  /** The issue's anchor: what a plain Java loop over word 5-grams costs, nothing else. */
  private static long bareLoop(List<String> texts) {
    long[] a = new long[112];
    long[] b = new long[112];
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    for (int i = 0; i < 112; i++) {
      a[i] = r.nextLong() | 1;
      b[i] = r.nextLong();
    }
    long n = 0;
    int[] sig = new int[112];
    for (String t : texts) {
      String[] words = t.split("\\s+");
      java.util.Arrays.fill(sig, Integer.MAX_VALUE);
      for (int i = 0; i + 5 <= words.length; i++) {
        long h = 0xcbf29ce484222325L;
        for (int j = i; j < i + 5; j++) {
          h = (h ^ words[j].hashCode()) * 0x100000001b3L;
        }
        for (int k = 0; k < 112; k++) {
          int v = (int) ((a[k] * h + b[k]) >>> 33);
          if (v < sig[k]) {
            sig[k] = v;
          }
        }
      }
      n += sig[0];
    }
    Passes.consume(n);
    return texts.size();
  }

  /**
   * Precision and recall of exact and near dedup on the labelled pairs, at thresholds 0.7 and 0.8.
   */
  private static String labelledPairs(Path data, Path tmp) throws Exception {
    List<JsonNode> pairs = new ArrayList<>();
    for (String line : Files.readAllLines(data.resolve("code/code-near-dup-pairs.jsonl"))) {
      pairs.add(JSON.readTree(line));
    }
    java.util.Set<String> wanted = new java.util.HashSet<>();
    pairs.forEach(
        p -> {
          wanted.add(p.get("id_a").asText());
          wanted.add(p.get("id_b").asText());
        });
    Path input = tmp.resolve("pairs.jsonl");
    try (BufferedWriter w = Files.newBufferedWriter(input)) {
      for (Path f : SharedData.files(data.resolve("code"), "code-*.jsonl.gz")) {
        List<String> ids = SharedData.jsonlField(f, "id");
        List<String> texts = SharedData.jsonlField(f, "text");
        for (int i = 0; i < ids.size(); i++) {
          if (wanted.contains(ids.get(i))) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", ids.get(i));
            n.put("text", texts.get(i));
            n.put("kind", "code");
            w.write(JSON.writeValueAsString(n));
            w.newLine();
          }
        }
      }
    }
    StringBuilder report =
        new StringBuilder("Labelled pairs (code-near-dup-pairs.jsonl): ")
            .append(pairs.size())
            .append(" pairs; should merge = exact or J5 >= 0.8, should not = J5 < 0.8\n");
    SparkSession spark = SparkSessions.create("bench-dedup-pairs", StorageConfig.defaults());
    for (double threshold : new double[] {0.7, 0.8}) {
      String output = tmp.resolve("pairs-" + threshold).toString();
      new DedupJob(spark)
          .run(
              DedupJob.Options.builder(input.toString(), output)
                  .force(true)
                  .threshold(threshold)
                  .build());
      Map<String, String> kept = new HashMap<>();
      for (Row r :
          spark
              .read()
              .parquet(output + "/" + DedupJob.REMOVED)
              .select("id", "kept_id")
              .collectAsList()) {
        kept.put(r.getString(0), r.getString(1));
      }
      int exact = 0, exactMerged = 0, near = 0, nearMerged = 0, diverged = 0, divergedMerged = 0;
      for (JsonNode p : pairs) {
        boolean merged =
            root(kept, p.get("id_a").asText()).equals(root(kept, p.get("id_b").asText()));
        if (p.get("exact").asBoolean()) {
          exact++;
          exactMerged += merged ? 1 : 0;
        } else if (p.get("jaccard_5gram_tokens").asDouble() >= 0.8) {
          near++;
          nearMerged += merged ? 1 : 0;
        } else {
          diverged++;
          divergedMerged += merged ? 1 : 0;
        }
      }
      double precision =
          (double) (exactMerged + nearMerged)
              / Math.max(1, exactMerged + nearMerged + divergedMerged);
      report.append(
          String.format(
              Locale.ROOT,
              "  threshold %.1f: exact recall %d/%d = %.3f; near recall %d/%d = %.3f; diverged"
                  + " merged %d/%d; precision of merges %.3f%n",
              threshold,
              exactMerged,
              exact,
              (double) exactMerged / exact,
              nearMerged,
              near,
              (double) nearMerged / near,
              divergedMerged,
              diverged,
              precision));
    }
    spark.stop();
    return report.toString();
  }

  /**
   * Writes {@code copies} copies of every document, each with about 3% of its whitespace-separated
   * words replaced at random (seeded): near duplicates of one another at 5-gram Jaccard around
   * 0.6-0.8, so the run exercises LSH, verification and connected components at scale rather than
   * exact dedup. Returns the UTF-8 bytes of text written.
   */
  private static long writePerturbedCopies(
      SparkSession spark, List<String> ids, List<String> texts, int copies, String path) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("id", "string")
            .add("text", "string")
            .add("kind", "string")
            .add("lang", "string");
    long bytes = 0;
    org.apache.spark.sql.Dataset<Row> all = null;
    for (int c = 0; c < copies; c++) {
      List<Row> rows = new ArrayList<>(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        String[] words = texts.get(i).split(" ", -1);
        for (int k = 0; k < words.length; k++) {
          if (random.nextInt(100) < 3) {
            words[k] = "w" + random.nextInt(1_000_000);
          }
        }
        String text = String.join(" ", words);
        bytes += text.getBytes(StandardCharsets.UTF_8).length;
        rows.add(
            org.apache.spark.sql.RowFactory.create(ids.get(i) + "#" + c, text, "code", "code"));
      }
      org.apache.spark.sql.Dataset<Row> copy = spark.createDataFrame(rows, schema);
      all = all == null ? copy : all.union(copy);
    }
    all.write().parquet(path);
    return bytes;
  }

  private static String root(Map<String, String> kept, String id) {
    String cur = id;
    for (int hops = 0; kept.containsKey(cur) && hops < 1000; hops++) {
      cur = kept.get(cur);
    }
    return cur;
  }
}
