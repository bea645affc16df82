package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.report.TextTable;
import io.sluice.core.spark.SparkProgress;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.dedup.DedupJob;
import io.sluice.filtering.FilterJob;
import io.sluice.index.DenseType;
import io.sluice.index.IndexJob;
import io.sluice.index.TowerConfig;
import io.sluice.ingest.IngestJob;
import io.sluice.tokenization.TokenizeJob;
import io.sluice.tokenization.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the stages a {@link PipelineConfig} names, in order, in one Spark session. Each stage
 * commits atomically and is skipped when its output is already committed, so re-running after a
 * crash redoes only what was not committed. Everything that can be checked before work starts is
 * (inputs exist, output is writable with the given credentials, tokenizer known, each stage's input
 * is either produced by an earlier stage of this run or already committed).
 */
final class Pipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one stage did. */
  record StageRun(String stage, String output, boolean skipped, double seconds, JsonNode stats) {}

  private final PipelineConfig config;
  private final StorageConfig storage;
  private final PrintStream log;

  Pipeline(PipelineConfig config, StorageConfig storage, PrintStream log) {
    this.config = config;
    this.storage = storage;
    this.log = log;
  }

  /** The directory (or file) each stage writes. */
  String outputOf(String stage) {
    return switch (stage) {
      case "ingest" -> config.dir("documents");
      case "filter" -> config.dir("scored");
      case "dedup" -> config.dir("deduped");
      case "tokenize" -> config.dir("tokens");
      case "select" -> config.dir("mixture.json");
      case "index" -> config.dir("index");
      default -> throw new IllegalArgumentException("unknown stage " + stage);
    };
  }

  /** The stage whose output a stage reads (null for ingest). */
  private static String inputStage(String stage) {
    return switch (stage) {
      case "ingest" -> null;
      case "filter" -> "ingest";
      case "dedup" -> "filter";
      case "tokenize", "index" -> "dedup";
      case "select" -> "filter";
      default -> throw new IllegalArgumentException("unknown stage " + stage);
    };
  }

  /** Checks everything that can fail before any stage starts; throws with the reason. */
  void preflight() throws IOException {
    if (config.runs("ingest")) {
      for (String in : config.inputs()) {
        try (Storage s = Storage.forPath(in, storage)) {
          if (!s.exists(in) && s.list(in).isEmpty()) {
            throw new IllegalArgumentException("pipeline: input " + in + " does not exist");
          }
        } catch (java.io.FileNotFoundException e) {
          throw new IllegalArgumentException("pipeline: input " + in + " does not exist");
        }
      }
    }
    String probe = config.output() + "/.sluice-write-probe-" + UUID.randomUUID();
    try (Storage s = Storage.forPath(probe, storage)) {
      try (OutputStream o = s.create(probe)) {
        o.write(1);
      }
      s.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "pipeline: output "
              + config.output()
              + " is not writable ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
    if (config.runs("index")) {
      try {
        if (config.index().dense() != null) {
          DenseType.parse(config.index().dense());
        }
        if (config.index().tower() != null) {
          TowerConfig.of(config.index().tower(), null, null);
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("pipeline: index: " + e.getMessage());
      }
    }
    if (config.runs("tokenize")) {
      String name = tokenizer();
      try {
        Tokenizers.byNameOrPath(name);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("pipeline: tokenize: " + e.getMessage());
      }
    }
    for (String stage : config.stages()) {
      String needs = inputStage(stage);
      if (needs != null && !config.runs(needs) && !committed(outputOf(needs))) {
        throw new IllegalArgumentException(
            "pipeline: stage "
                + stage
                + " reads "
                + outputOf(needs)
                + ", which is neither committed nor made by this run (add '"
                + needs
                + "' to stages)");
      }
    }
  }

  private String tokenizer() {
    return config.tokenize().tokenizer() == null ? "llama3" : config.tokenize().tokenizer();
  }

  private boolean committed(String dir) throws IOException {
    try (Storage s = Storage.forPath(dir, storage)) {
      return s.exists(dir + "/" + StageOutput.SUCCESS);
    }
  }

  /** Runs every stage; returns what each did. */
  List<StageRun> run() throws IOException {
    preflight();
    List<StageRun> runs = new ArrayList<>();
    try (SparkSession spark = SparkSessions.create("sluice-pipeline", storage)) {
      for (String stage : config.stages()) {
        String out = outputOf(stage);
        boolean skip = !stage.equals("select") && committed(out);
        log.printf(
            Locale.ROOT, "pipeline: %s -> %s%s%n", stage, out, skip ? " (committed; skipped)" : "");
        long t0 = System.nanoTime();
        if (!skip) {
          runStage(spark, stage, out);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        runs.add(new StageRun(stage, out, skip, skip ? 0 : seconds, stats(stage, out)));
      }
    }
    return runs;
  }

  private void runStage(SparkSession spark, String stage, String out) throws IOException {
    switch (stage) {
      case "ingest" ->
          log.print(
              new IngestJob(spark)
                  .run(
                      new IngestJob.Options(
                          config.inputs(),
                          out,
                          null,
                          config.ingest().source(),
                          null,
                          false,
                          storage),
                      log)
                  .table());
      case "filter" -> {
        int buckets = config.filter().buckets() == null ? 4 : config.filter().buckets();
        try (SparkProgress progress = SparkProgress.start(spark, "filter", log)) {
          log.print(
              new FilterJob(spark)
                  .run(
                      new FilterJob.Options(
                          outputOf("ingest"), out, null, null, buckets, false, storage))
                  .table());
        }
      }
      case "dedup" -> {
        PipelineConfig.Dedup d = config.dedup();
        DedupJob.Options.Builder b =
            DedupJob.Options.builder(outputOf("filter"), out).storage(storage);
        if (d.threshold() != null) {
          b.threshold(d.threshold());
        }
        if (d.bands() != null || d.rows() != null) {
          b.bands(d.bands() == null ? 14 : d.bands(), d.rows() == null ? 8 : d.rows());
        }
        if (d.shingle() != null) {
          b.shingleSize(d.shingle());
        }
        if (d.perSource() != null) {
          b.perSource(d.perSource());
        }
        try (SparkProgress progress = SparkProgress.start(spark, "dedup", log)) {
          log.print(new DedupJob(spark).run(b.build()).table());
        }
      }
      case "tokenize" -> {
        long shard =
            config.tokenize().shardTokens() == null
                ? TokenizeJob.SHARD_TOKENS
                : config.tokenize().shardTokens();
        try (SparkProgress progress = SparkProgress.start(spark, "tokenize", log)) {
          new TokenizeJob(spark)
              .run(
                  new TokenizeJob.Options(
                      outputOf("dedup"), out, tokenizer(), shard, false, storage));
        }
      }
      case "select" -> {
        double budget = config.select().tokenBudget() == null ? 1e9 : config.select().tokenBudget();
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--scored",
                    outputOf("filter"),
                    "--token-budget",
                    Double.toString(budget),
                    "--output",
                    out));
        if (committed(outputOf("tokenize"))) {
          args.addAll(List.of("--tokens", outputOf("tokenize"))); // real token counts
        }
        int code = SluiceCli.execute(new SelectCommand(), args.toArray(String[]::new));
        if (code != 0) {
          throw new IOException("pipeline: select failed (exit code " + code + ")");
        }
      }
      case "index" -> {
        String dense = config.index().dense() == null ? "auto" : config.index().dense();
        IndexJob.Summary s =
            new IndexJob(spark)
                .run(
                    IndexJob.Options.builder(outputOf("dedup"), out)
                        .dense(DenseType.parse(dense))
                        .docTower(
                            TowerConfig.of(
                                config.index().tower() == null
                                    ? "bge-small-en-v1.5"
                                    : config.index().tower(),
                                null,
                                null))
                        .storage(storage)
                        .build(),
                    log);
        log.println("index: " + s.stats().get("passages") + " passages -> " + s.output());
      }
      default -> throw new IllegalArgumentException("pipeline: unknown stage " + stage);
    }
  }

  private JsonNode stats(String stage, String out) throws IOException {
    String file = stage.equals("select") ? out : out + "/" + StageOutput.STATS;
    try (Storage s = Storage.forPath(file, storage);
        InputStream in = s.open(file)) {
      return JSON.readTree(in);
    }
  }

  /**
   * One row per stage: documents and bytes out, tokens, time, and throughput of what the stage read
   * (its {@code input_bytes}, else the bytes the stage before it wrote) per second and per
   * core-hour.
   */
  static String summary(List<StageRun> runs) {
    int cores = Runtime.getRuntime().availableProcessors();
    TextTable t =
        new TextTable(
            "stage",
            "status",
            "documents",
            "bytes",
            "tokens",
            "seconds",
            "MB/s",
            "GB/core-hour",
            "output");
    java.util.Map<String, Long> written = new java.util.HashMap<>();
    double total = 0;
    for (StageRun r : runs) {
      JsonNode s = r.stats();
      long docs = firstLong(s, "documents", "survivors");
      long bytes = firstLong(s, "bytes");
      long tokens = firstLong(s, "tokens");
      long in = firstLong(s, "input_bytes");
      String from = inputStage(r.stage());
      if (in < 0 && from != null) {
        in = written.getOrDefault(from, -1L);
      }
      written.put(r.stage(), bytes >= 0 ? bytes : in); // dedup reports no bytes: about its input
      total += r.seconds();
      boolean rate = !r.stage().equals("select") && !r.skipped() && r.seconds() > 0 && in >= 0;
      double mbps = rate ? in / 1e6 / r.seconds() : 0;
      t.row(
          r.stage(),
          r.skipped() ? "skipped" : "ran",
          docs < 0 ? "" : String.format(Locale.ROOT, "%,d", docs),
          bytes < 0 ? "" : String.format(Locale.ROOT, "%,d", bytes),
          tokens < 0 ? "" : String.format(Locale.ROOT, "%,d", tokens),
          String.format(Locale.ROOT, "%.1f", r.seconds()),
          rate ? String.format(Locale.ROOT, "%.2f", mbps) : "",
          rate ? String.format(Locale.ROOT, "%.2f", mbps * 3.6 / cores) : "",
          r.output());
    }
    t.row("all", "", "", "", "", String.format(Locale.ROOT, "%.1f", total), "", "", "");
    return t.render();
  }

  private static long firstLong(JsonNode s, String... fields) {
    for (String f : fields) {
      if (s != null && s.path(f).isNumber()) {
        return s.path(f).asLong();
      }
    }
    return -1;
  }
}
