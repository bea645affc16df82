package io.sluice.filtering;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import io.sluice.filtering.rules.RuleSet;
import io.sluice.filtering.score.QualityModel;
import io.sluice.filtering.select.MixturePlanner;
import io.sluice.filtering.select.SelectionConfig;
import io.sluice.filtering.select.SelectionReport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.storage.StorageLevel;

/**
 * The filter stage as a Spark job: documents in, {@code scored/} out (documents that pass every
 * rule, with {@code quality}, {@code quality_score} and {@code quality_bucket}, partitioned by
 * {@code kind} and {@code lang}); documents that fail a rule go to {@code _removed/} with the names
 * of the rules they fail, so every removal is explainable. {@code stats.json} counts removals per
 * rule, kind and language, describes the buckets, and holds score histograms.
 *
 * <p>Buckets are score quantiles within each (kind, lang): bucket 0 holds the best {@code
 * 1/buckets} of that group. Only per-group quantiles and counts reach the driver.
 */
public final class FilterJob {

  public static final String REMOVED = "_removed";

  /**
   * @param buckets number of quality buckets per (kind, lang)
   */
  public record Options(
      String input,
      String output,
      RuleSet rules,
      QualityModel model,
      int buckets,
      boolean force,
      StorageConfig storage) {
    public Options {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
      rules = rules == null ? RuleSet.defaults() : rules;
      model = model == null ? QualityModel.bundled() : model;
      storage = storage == null ? StorageConfig.defaults() : storage;
      if (buckets < 1 || buckets > 100) {
        throw new IllegalArgumentException("buckets must be in [1, 100], got " + buckets);
      }
    }
  }

  private final SparkSession spark;

  public FilterJob(SparkSession spark) {
    this.spark = spark;
  }

  /** Runs the stage, or returns the committed stats when the output is already committed. */
  public FilterSummary run(Options o) throws IOException {
    o.storage().hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    StageOutput output = new StageOutput(o.output(), spark.sparkContext().hadoopConfiguration());
    if (output.isCommitted() && !o.force()) {
      return FilterSummary.alreadyCommitted(output.path());
    }
    Dataset<Row> docs = StageTables.read(spark, o.input());
    for (String c :
        List.of(DocumentSchema.ID, DocumentSchema.TEXT, DocumentSchema.KIND, DocumentSchema.LANG)) {
      if (!List.of(docs.columns()).contains(c)) {
        throw new IllegalArgumentException(
            "input "
                + o.input()
                + " is not a documents table: no column '"
                + c
                + "'; columns are "
                + List.of(docs.columns()));
      }
    }
    long rows = docs.count(); // from Parquet footers: no data is read
    docs = StageTables.withIdAndText(docs);
    String tmp = output.begin(o.force(), List.of(o.input()));
    long start = System.nanoTime();
    try {
      Map<String, Object> stats = filter(docs, o, tmp, output.sidecar(REMOVED));
      stats.put(
          "rows_without_id_or_text", rows - ((Number) stats.get("input_documents")).longValue());
      stats.put("elapsed_seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
      output.commit(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(stats),
          REMOVED);
      return new FilterSummary(output.path(), stats, false);
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    }
  }

  private Map<String, Object> filter(Dataset<Row> docs, Options o, String tmp, String removedTmp) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FilterTask task =
        new FilterTask(
            o.rules(),
            jsc.broadcast(o.model()),
            docs.schema().fieldIndex(DocumentSchema.TEXT),
            docs.schema().fieldIndex(DocumentSchema.KIND),
            docs.schema().fieldIndex(DocumentSchema.LANG));
    Dataset<Row> scored =
        docs.mapPartitions(task, RowEncoder.encoderFor(FilterSchema.scored(docs.schema())))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      Dataset<Row> kept =
          scored.filter(
              size(col(FilterSchema.QUALITY + "." + FilterSchema.FAILED_RULES)).equalTo(0));
      Dataset<Row> removed =
          scored.filter(size(col(FilterSchema.QUALITY + "." + FilterSchema.FAILED_RULES)).gt(0));
      Dataset<Row> bucketed = QualityBuckets.assign(kept, o.buckets());
      bucketed.write().partitionBy(DocumentSchema.KIND, DocumentSchema.LANG).parquet(tmp);
      removed.write().partitionBy(DocumentSchema.KIND, DocumentSchema.LANG).parquet(removedTmp);
      SelectionConfig selection = SelectionConfig.defaults();
      Map<String, Object> stats = stats(scored, removed, bucketed, o, selection.bytesPerToken());
      selection(stats, tmp, selection);
      return stats;
    } finally {
      scored.unpersist();
    }
  }

  /**
   * Adds the selection table (budget → k*, epochs, predicted loss) under the default scaling
   * parameters, and writes {@code report.html} with the loss-vs-budget chart.
   */
  @SuppressWarnings("unchecked")
  private void selection(Map<String, Object> stats, String dir, SelectionConfig config) {
    List<MixturePlanner.BucketSize> sizes = new ArrayList<>();
    for (Map<String, Object> b : (List<Map<String, Object>>) stats.get("buckets")) {
      sizes.add(
          new MixturePlanner.BucketSize(
              (Integer) b.get("bucket"), ((Number) b.get("estimated_tokens")).doubleValue()));
    }
    boolean covered =
        sizes.stream()
            .allMatch(s -> config.buckets().stream().anyMatch(p -> p.bucket() == s.bucket()));
    if (sizes.isEmpty() || !covered) {
      stats.put(
          "selection",
          "not computed: the default scaling parameters cover buckets "
              + config.buckets().stream().map(b -> b.bucket()).toList()
              + "; use sluice select --config");
      return;
    }
    SelectionReport report = new SelectionReport(config, sizes);
    stats.put("selection", report.table(report.defaultBudgets()));
    stats.put("selection_parameters", config.source());
    org.apache.hadoop.fs.Path html = new org.apache.hadoop.fs.Path(dir, "report.html");
    try (java.io.OutputStream out =
        html.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(html, true)) {
      out.write(
          report
              .html("Sluice filter: predicted loss vs budget")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + html, e);
    }
  }

  private static Map<String, Object> stats(
      Dataset<Row> scored,
      Dataset<Row> removed,
      Dataset<Row> bucketed,
      Options o,
      double bytesPerToken) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("stage", "filter");
    stats.put("input", o.input());
    Row totals = scored.agg(count(lit(1)), sum(octet_length(col(DocumentSchema.TEXT)))).first();
    Row removedTotals =
        removed.agg(count(lit(1)), sum(octet_length(col(DocumentSchema.TEXT)))).first();
    stats.put("input_documents", totals.getLong(0));
    stats.put("input_bytes", totals.isNullAt(1) ? 0 : totals.getLong(1));
    stats.put("removed_documents", removedTotals.getLong(0));
    stats.put("removed_bytes", removedTotals.isNullAt(1) ? 0 : removedTotals.getLong(1));
    stats.put("documents", totals.getLong(0) - removedTotals.getLong(0));
    stats.put(
        "bytes",
        (totals.isNullAt(1) ? 0 : totals.getLong(1))
            - (removedTotals.isNullAt(1) ? 0 : removedTotals.getLong(1)));

    List<Map<String, Object>> byRule = new ArrayList<>();
    for (Row r :
        removed
            .select(
                col(DocumentSchema.KIND),
                col(DocumentSchema.LANG),
                explode(col(FilterSchema.QUALITY + "." + FilterSchema.FAILED_RULES)).as("rule"),
                octet_length(col(DocumentSchema.TEXT)).as("bytes"))
            .groupBy("rule", DocumentSchema.KIND, DocumentSchema.LANG)
            .agg(count(lit(1)), sum("bytes"))
            .orderBy(col("rule"), col(DocumentSchema.KIND), col(DocumentSchema.LANG))
            .collectAsList()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("rule", r.getString(0));
      e.put("kind", r.getString(1));
      e.put("lang", r.getString(2));
      e.put("documents", r.getLong(3));
      e.put("bytes", r.getLong(4));
      byRule.add(e);
    }
    stats.put("removed_by_rule", byRule);
    Map<String, Long> ruleTotals = new LinkedHashMap<>();
    for (Map<String, Object> e : byRule) {
      ruleTotals.merge((String) e.get("rule"), (Long) e.get("documents"), Long::sum);
    }
    stats.put("removed_by_rule_total", ruleTotals);
    long noStopWords =
        scored
            .filter(
                col(DocumentSchema.KIND)
                    .equalTo("web")
                    .and(col(FilterSchema.QUALITY + ".stop_words").isNull()))
            .count();
    stats.put(
        "undefined_signals",
        // Ordered maps: Map.of iterates in an order salted per JVM, and stats.json must be the
        // same file for the same input.
        new java.util.TreeMap<>(
            Map.of(
                "stop_words",
                new java.util.TreeMap<>(
                    Map.of(
                        "documents",
                        noStopWords,
                        "reason",
                        "no stop-word list for the document's language; gopher_stop_words not"
                            + " applied")))));

    List<Map<String, Object>> buckets = new ArrayList<>();
    for (Row r :
        bucketed
            .groupBy(FilterSchema.BUCKET)
            .agg(
                count(lit(1)),
                sum(octet_length(col(DocumentSchema.TEXT))),
                expr("min(quality_score)"),
                expr("max(quality_score)"),
                expr("avg(quality_score)"))
            .orderBy(FilterSchema.BUCKET)
            .collectAsList()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("bucket", r.getInt(0));
      e.put("documents", r.getLong(1));
      e.put("bytes", r.getLong(2));
      e.put("estimated_tokens", Math.round(r.getLong(2) / bytesPerToken));
      e.put("min_score", r.getDouble(3));
      e.put("max_score", r.getDouble(4));
      e.put("mean_score", r.getDouble(5));
      buckets.add(e);
    }
    stats.put("bytes_per_token_estimate", bytesPerToken);
    stats.put("buckets", buckets);
    Map<String, long[]> histograms = new LinkedHashMap<>();
    for (Row r :
        bucketed
            .groupBy(
                col(FilterSchema.BUCKET), floor(col(FilterSchema.SCORE).multiply(20)).as("bin"))
            .agg(count(lit(1)))
            .collectAsList()) {
      long[] h = histograms.computeIfAbsent("bucket_" + r.getInt(0), k -> new long[20]);
      h[(int) Math.min(19, r.getLong(1))] += r.getLong(2);
    }
    stats.put("score_histograms", new java.util.TreeMap<>(histograms));
    stats.put("score_histogram_bins", "20 equal bins of quality_score over [0, 1]");
    stats.put("rules", o.rules().rules().stream().map(Object::toString).toList());
    return stats;
  }
}
