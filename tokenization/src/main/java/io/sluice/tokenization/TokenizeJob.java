package io.sluice.tokenization;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The tokenize stage as a Spark job: documents (or scored / deduped) in, {@code tokens/} out —
 * Arrow IPC token shards with their sidecars ({@link ShardWriter}, DESIGN.md §3), and in {@code
 * stats.json} the numbers per natural and programming language that a mixture decision needs:
 * documents, bytes, tokens, bytes per token, distinct tokens (approximate, HyperLogLog), and
 * document-length percentiles in tokens. No BOS/EOS is added; the feeder adds separators.
 */
public final class TokenizeJob {

  /** Tokens per shard by default: DESIGN.md's ≈ 2^27. */
  public static final long SHARD_TOKENS = 1L << 27;

  public record Options(
      String input,
      String output,
      String tokenizer,
      long shardTokens,
      boolean force,
      StorageConfig storage) {
    public Options {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(tokenizer, "tokenizer");
      if (shardTokens < 1) {
        throw new IllegalArgumentException("shard size must be positive, got " + shardTokens);
      }
      storage = storage == null ? StorageConfig.defaults() : storage;
    }
  }

  /** What a run produced: where, and the statistics saved in {@code stats.json}. */
  public record Summary(String output, Map<String, Object> stats, boolean alreadyCommitted) {}

  private final SparkSession spark;

  public TokenizeJob(SparkSession spark) {
    this.spark = spark;
  }

  public Summary run(Options o) throws IOException {
    Tokenizer tok =
        Tokenizers.byNameOrPath(o.tokenizer()); // fail fast on the driver for a bad name
    o.storage().hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    StageOutput output = new StageOutput(o.output(), spark.sparkContext().hadoopConfiguration());
    if (output.isCommitted() && !o.force()) {
      return new Summary(output.path(), Map.of(), true);
    }
    Dataset<Row> docs = StageTables.read(spark, o.input());
    List<String> cols = List.of(docs.columns());
    for (String c : List.of(DocumentSchema.ID, DocumentSchema.TEXT)) {
      if (!cols.contains(c)) {
        throw new IllegalArgumentException(
            "input " + o.input() + " is not a documents table: no column '" + c + "'");
      }
    }
    Dataset<Row> narrow =
        docs.select(
            col(DocumentSchema.ID),
            col(DocumentSchema.TEXT),
            cols.contains(DocumentSchema.LANG)
                ? col(DocumentSchema.LANG)
                : lit(null).cast("string").as(DocumentSchema.LANG),
            cols.contains(DocumentSchema.KIND)
                ? col(DocumentSchema.KIND)
                : lit(null).cast("string").as(DocumentSchema.KIND),
            cols.contains("quality_bucket")
                ? col("quality_bucket").cast("int")
                : lit(null).cast("int").as("quality_bucket"));
    String tmp = output.begin(o.force(), List.of(o.input()));
    long start = System.nanoTime();
    try {
      StructType schema =
          new StructType()
              .add("id", DataTypes.StringType, false)
              .add("lang", DataTypes.StringType, true)
              .add("kind", DataTypes.StringType, true)
              .add("quality_bucket", DataTypes.IntegerType, true)
              .add("text_bytes", DataTypes.LongType, false)
              .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
      Dataset<Row> tokenized =
          narrow
              .mapPartitions(new TokenizeTask(o.tokenizer()), RowEncoder.encoderFor(schema))
              .persist(StorageLevel.MEMORY_AND_DISK_SER());
      try {
        tokenized.foreachPartition(new ShardTask(tmp, o.tokenizer(), o.shardTokens()));
        Map<String, Object> stats = stats(tokenized, o, tok);
        stats.put("elapsed_seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
        output.commit(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(stats));
        return new Summary(output.path(), stats, false);
      } finally {
        tokenized.unpersist();
      }
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    }
  }

  private static Map<String, Object> stats(Dataset<Row> t, Options o, Tokenizer tok) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("stage", "tokenize");
    stats.put("input", o.input());
    stats.put("tokenizer", tok.name());
    stats.put("vocabulary_sha256", tok.vocabularySha256());
    List<Map<String, Object>> perLang = new ArrayList<>();
    long docs = 0;
    long tokens = 0;
    long bytes = 0;
    Dataset<Row> sized = t.withColumn("n", size(col("tokens")));
    Map<String, Long> distinct = new LinkedHashMap<>();
    for (Row r :
        t.select(col("kind"), col("lang"), explode(col("tokens")).as("token"))
            .groupBy("kind", "lang")
            .agg(approx_count_distinct("token"))
            .collectAsList()) {
      distinct.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
    }
    for (Row r :
        sized
            .groupBy("kind", "lang")
            .agg(
                count(lit(1)),
                sum("text_bytes"),
                sum("n"),
                expr("percentile_approx(n, array(0.5, 0.9, 0.99), 10000)"))
            .orderBy(col("kind"), col("lang"))
            .collectAsList()) {
      Map<String, Object> e = new LinkedHashMap<>();
      long n = r.getLong(2);
      long b = r.getLong(3);
      long tk = r.getLong(4);
      e.put("kind", r.getString(0));
      e.put("lang", r.getString(1));
      e.put("documents", n);
      e.put("bytes", b);
      e.put("tokens", tk);
      e.put("bytes_per_token", tk == 0 ? null : Math.round(100.0 * b / tk) / 100.0);
      e.put(
          "distinct_tokens_approx",
          distinct.getOrDefault(r.getString(0) + "/" + r.getString(1), 0L));
      List<Integer> p = r.getList(5);
      e.put("doc_tokens_p50", p.get(0));
      e.put("doc_tokens_p90", p.get(1));
      e.put("doc_tokens_p99", p.get(2));
      perLang.add(e);
      docs += n;
      tokens += tk;
      bytes += b;
    }
    stats.put("documents", docs);
    stats.put("tokens", tokens);
    stats.put("bytes", bytes);
    stats.put("bytes_per_token", tokens == 0 ? null : Math.round(100.0 * bytes / tokens) / 100.0);
    stats.put("by_kind_lang", perLang);
    // What sluice select plans from: the tokens of each quality bucket as they will be fed (each
    // document is followed by one end-of-text token in the feeder's stream).
    List<Map<String, Object>> perBucket = new ArrayList<>();
    for (Row r :
        sized
            .groupBy("quality_bucket")
            .agg(count(lit(1)), sum("n"))
            .orderBy(col("quality_bucket").asc_nulls_last())
            .collectAsList()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("bucket", r.isNullAt(0) ? null : r.getInt(0));
      e.put("documents", r.getLong(1));
      e.put("tokens", r.getLong(2));
      e.put("stream_tokens", r.getLong(1) + r.getLong(2));
      perBucket.add(e);
    }
    stats.put("buckets", perBucket);
    return stats;
  }
}
