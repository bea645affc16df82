package io.sluice.dedup;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The dedup stage as a Spark job: documents (or scored documents, or JSONL) in, {@code deduped/}
 * out. Survivors keep every input column plus {@code exact_hash} (64-bit hash of the normalized
 * text) and {@code cluster_id} (null when the document had no duplicate), partitioned by {@code
 * kind} and {@code lang}; {@code removed/} explains every removal ({@code id, kept_id, cluster_id,
 * jaccard, reason}); {@code stats.json} holds counts and the LSH configuration.
 *
 * <p>Steps: (1) one pass over the text ({@link KeyTask}) makes a narrow key row per document: id,
 * exact hash, MinHash signature and the columns that rank copies; everything until the survivors
 * are written works on these rows, never on the text. (2) Exact groups by {@code exact_hash}, one
 * winner each. (3) LSH: band rows {@code (group, band, band hash, id)} of the winners shuffled by
 * bucket and sorted by id within it, expanded to candidate pairs as they stream ({@link
 * BucketPairs}); pairs are verified by joining both signatures and comparing the Jaccard estimate
 * with the threshold. (4) Connected components of the verified pairs ({@link ConnectedComponents}).
 * (5) Each component and exact group ranked: one survivor, the rest removed. (6) The documents are
 * read a second time and joined with the fate of the few in clusters (broadcast when there are up
 * to {@value #BROADCAST_FATE_ROWS} of them, a shuffle join otherwise). Everywhere the document kept
 * is the one with the highest {@code quality_score}, then earliest {@code crawl_date} (each when
 * the column exists; nulls last), then smallest {@code id}. A cluster's id is the smallest document
 * id in it, counting exact duplicates. Ids are assumed unique in the input.
 *
 * <p>Memory, for D documents with signatures of H = bands × rows hashes and ids of I bytes: key
 * rows of about {@code 4H + I + 40} bytes per document (500 B at 14 × 8), cached and spillable; the
 * band shuffle carries {@code bands × (I + 24)} bytes per document after exact dedup; a bucket of
 * up to {@code bucketCap} documents is expanded in memory ({@code cap²/2} pairs at most), larger
 * ones stream as stars; connected components hold up to {@value #EDGES_PER_PARTITION} edges per
 * task. No step holds all signatures in one executor, and only counts reach the driver.
 */
public final class DedupJob {

  public static final String REMOVED = "removed";
  public static final String EXACT_HASH = "exact_hash";
  public static final String CLUSTER_ID = "cluster_id";

  static final String QUALITY_SCORE = "quality_score";
  private static final int MAX_CC_ITERATIONS = 100;

  /**
   * Documents in clusters up to which their fate is broadcast to the survivors' pass instead of
   * shuffling the documents: about 100 bytes each, so at most a few hundred MB per executor.
   */
  private static final long BROADCAST_FATE_ROWS = 2_000_000;

  /** Edges per partition for connected components: about 100 bytes each in a union-find. */
  private static final long EDGES_PER_PARTITION = 2_000_000;

  private static final UserDefinedFunction JACCARD =
      udf(
          (org.apache.spark.sql.api.java.UDF2<byte[], byte[], Double>) MinHasher::jaccard,
          DataTypes.DoubleType);

  /**
   * @param threshold minimum estimated Jaccard for a candidate pair to count as a duplicate; 0
   *     turns verification off (every candidate pair counts)
   * @param bands LSH bands; {@code bands * rows} is the number of minhashes
   * @param shingleSize units (words, characters or code tokens) per shingle
   * @param perSource dedup within each {@code source} only, never across sources
   * @param bucketCap band buckets with more documents are linked as a star to their minimum id
   *     instead of pairwise (each member then verified against that one), and counted as capped
   * @param normalization applied before exact hashing and shingling
   */
  public record Options(
      String input,
      String output,
      double threshold,
      int bands,
      int rows,
      int shingleSize,
      boolean perSource,
      int bucketCap,
      boolean force,
      StorageConfig storage,
      Normalization normalization) {

    public Options {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
      storage = storage == null ? StorageConfig.defaults() : storage;
      normalization = normalization == null ? Normalization.defaults() : normalization;
      if (threshold < 0 || threshold > 1) {
        throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
      }
      if (bands < 1 || rows < 1 || (long) bands * rows > 4096) {
        throw new IllegalArgumentException(
            "need bands >= 1, rows >= 1 and bands*rows <= 4096; got " + bands + "x" + rows);
      }
      if (shingleSize < 1) {
        throw new IllegalArgumentException("shingle size must be >= 1, got " + shingleSize);
      }
      if (bucketCap < 2) {
        throw new IllegalArgumentException("bucket cap must be >= 2, got " + bucketCap);
      }
    }

    /** Threshold 0.7, 14 bands x 8 rows (FineWeb), 5-grams, global, bucket cap 1,000. */
    public static Options defaults(String input, String output) {
      return builder(input, output).build();
    }

    /** A builder starting from {@link #defaults}. */
    public static Builder builder(String input, String output) {
      return new Builder(input, output);
    }

    /** Builds {@link Options}; every setter returns the builder. Not thread-safe. */
    public static final class Builder {
      private final String input;
      private final String output;
      private double threshold = 0.7;
      private int bands = 14;
      private int rows = 8;
      private int shingleSize = 5;
      private boolean perSource;
      private int bucketCap = 1_000;
      private boolean force;
      private StorageConfig storage;
      private Normalization normalization;

      private Builder(String input, String output) {
        this.input = input;
        this.output = output;
      }

      public Builder threshold(double t) {
        this.threshold = t;
        return this;
      }

      public Builder bands(int b, int r) {
        this.bands = b;
        this.rows = r;
        return this;
      }

      public Builder shingleSize(int n) {
        this.shingleSize = n;
        return this;
      }

      public Builder perSource(boolean p) {
        this.perSource = p;
        return this;
      }

      public Builder bucketCap(int cap) {
        this.bucketCap = cap;
        return this;
      }

      public Builder force(boolean f) {
        this.force = f;
        return this;
      }

      public Builder storage(StorageConfig s) {
        this.storage = s;
        return this;
      }

      public Builder normalization(Normalization n) {
        this.normalization = n;
        return this;
      }

      public Options build() {
        return new Options(
            input,
            output,
            threshold,
            bands,
            rows,
            shingleSize,
            perSource,
            bucketCap,
            force,
            storage,
            normalization);
      }
    }
  }

  private final SparkSession spark;

  public DedupJob(SparkSession spark) {
    this.spark = spark;
  }

  /** Runs the stage, or returns without work when the output is already committed. */
  public DedupSummary run(Options o) throws IOException {
    o.storage().hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    StageOutput output = new StageOutput(o.output(), spark.sparkContext().hadoopConfiguration());
    if (output.isCommitted() && !o.force()) {
      return DedupSummary.alreadyCommitted(output.path());
    }
    Dataset<Row> docs = read(o.input());
    long rows = docs.count(); // from Parquet footers for a stage: no data is read
    docs = StageTables.withIdAndText(docs);
    String tmp = output.begin(o.force(), List.of(o.input()));
    long start = System.nanoTime();
    try {
      Map<String, Object> stats = dedup(docs, o, tmp, output.sidecar(REMOVED));
      stats.put(
          "rows_without_id_or_text", rows - ((Number) stats.get("input_documents")).longValue());
      stats.put("elapsed_seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
      output.commit(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(stats),
          REMOVED);
      return new DedupSummary(output.path(), stats, false);
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    }
  }

  /**
   * Reads Parquet (a documents or scored stage) or JSONL ({@code .jsonl}, {@code .json}, {@code
   * .ndjson}, optionally {@code .gz}); JSONL without {@code kind}/{@code lang} gets {@code
   * web}/{@code und}.
   */
  Dataset<Row> read(String input) {
    String lower = input.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2)$", "");
    boolean json = lower.endsWith(".jsonl") || lower.endsWith(".json") || lower.endsWith(".ndjson");
    Dataset<Row> docs =
        json ? spark.read().json(HadoopPaths.uri(input)) : StageTables.read(spark, input);
    List<String> cols = List.of(docs.columns());
    for (String c : List.of(DocumentSchema.ID, DocumentSchema.TEXT)) {
      if (!cols.contains(c)) {
        throw new IllegalArgumentException(
            "input "
                + input
                + " is not a documents table: no column '"
                + c
                + "'; columns are "
                + cols);
      }
    }
    if (json) {
      docs =
          docs.withColumn(DocumentSchema.ID, col(DocumentSchema.ID).cast(DataTypes.StringType));
    }
    for (String[] c : new String[][] {{DocumentSchema.KIND, "web"}, {DocumentSchema.LANG, "und"}}) {
      docs =
          docs.withColumn(
              c[0],
              cols.contains(c[0])
                  ? coalesce(col(c[0]).cast(DataTypes.StringType), lit(c[1]))
                  : lit(c[1]));
    }
    return docs;
  }

  /** Keep order: best quality, then earliest crawl, then smallest id. */
  private static List<Column> keepOrder(List<String> cols) {
    List<Column> order = new ArrayList<>();
    if (cols.contains(QUALITY_SCORE)) {
      order.add(col(QUALITY_SCORE).desc_nulls_last());
    }
    if (cols.contains(DocumentSchema.CRAWL_DATE)) {
      order.add(col(DocumentSchema.CRAWL_DATE).asc_nulls_last());
    }
    order.add(col(DocumentSchema.ID).asc());
    return order;
  }

  private Map<String, Object> dedup(Dataset<Row> docs, Options o, String tmp, String removedTmp) {
    List<String> cols = List.of(docs.columns());
    List<Column> order = keepOrder(cols);
    List<String> rankCols = new ArrayList<>();
    for (String c : List.of(QUALITY_SCORE, DocumentSchema.CRAWL_DATE)) {
      if (cols.contains(c)) {
        rankCols.add(c);
      }
    }
    Column grp =
        o.perSource() && cols.contains(DocumentSchema.SOURCE)
            ? coalesce(col(DocumentSchema.SOURCE).cast(DataTypes.StringType), lit(""))
            : lit("");
    Shingler shingler = new Shingler(o.shingleSize(), o.normalization());
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      // (1) One pass over the text: narrow key rows (id, grp, exact hash, signature, rank columns).
      List<Column> keyInput =
          new ArrayList<>(
              List.of(
                  col(DocumentSchema.ID),
                  grp.as("__grp"),
                  col(DocumentSchema.KIND),
                  col(DocumentSchema.TEXT)));
      StructType keySchema =
          new StructType()
              .add(DocumentSchema.ID, DataTypes.StringType, false)
              .add("__grp", DataTypes.StringType, false)
              .add(EXACT_HASH, DataTypes.LongType, false)
              .add("sig", DataTypes.BinaryType, false);
      for (String c : rankCols) {
        keyInput.add(col(c));
        keySchema = keySchema.add(docs.schema().apply(c));
      }
      Dataset<Row> keys =
          cache(
              cached,
              docs.select(keyInput.toArray(Column[]::new))
                  .map(
                      new KeyTask(shingler, new MinHasher(o.bands() * o.rows())),
                      RowEncoder.encoderFor(keySchema)));
      long input = keys.count();

      // (2) Exact groups by (grp, exact hash): __rn = 1 is the winner; __gmin/__gsize feed cluster
      // ids and sizes.
      WindowSpec group = Window.partitionBy(col("__grp"), col(EXACT_HASH));
      WindowSpec ranked = group.orderBy(order.toArray(Column[]::new));
      Dataset<Row> exactRanked =
          cache(
              cached,
              keys.withColumn("__rn", row_number().over(ranked))
                  .withColumn("__exact_kept", first(col(DocumentSchema.ID)).over(ranked))
                  .withColumn("__gmin", min(col(DocumentSchema.ID)).over(group))
                  .withColumn("__gsize", count(lit(1)).over(group)));
      Dataset<Row> winners = exactRanked.filter(col("__rn").equalTo(1));
      Dataset<Row> sigOf = winners.select(col(DocumentSchema.ID), col("sig"));

      // (3) LSH candidate pairs, verified by their signatures' Jaccard estimate.
      Dataset<Row> bucketRows = cache(cached, bucketPairs(winners, o));
      long capped = bucketRows.filter(col("b").isNull()).count();
      Dataset<Row> candidates =
          bucketRows
              .filter(col("b").isNotNull())
              .select(least(col("a"), col("b")).as("a"), greatest(col("a"), col("b")).as("b"))
              .distinct();
      Dataset<Row> edges =
          o.threshold() > 0
              ? candidates
                  .join(sigOf.withColumnRenamed(DocumentSchema.ID, "a"), "a")
                  .join(sigOf.select(col(DocumentSchema.ID).as("b"), col("sig").as("sig_b")), "b")
                  .filter(JACCARD.apply(col("sig"), col("sig_b")).geq(o.threshold()))
                  .select(col("a"), col("b"))
              : candidates;
      edges = cache(cached, edges);
      long verifiedPairs = edges.count();
      long candidatePairs = o.threshold() > 0 ? candidates.count() : verifiedPairs;

      // (4) Components of verified pairs, each ranked: one survivor, the rest removed as near.
      int iterations = 0;
      StructType labelSchema =
          new StructType()
              .add(DocumentSchema.ID, DataTypes.StringType, false)
              .add("component", DataTypes.StringType, false);
      Dataset<Row> labels = spark.createDataFrame(List.of(), labelSchema);
      if (verifiedPairs > 0) {
        // Partitions of up to a few million edges each, grouped by their smaller end: most
        // components are then whole in one partition and contracted there, without a round.
        int parts = (int) Math.min(Integer.MAX_VALUE, 1 + verifiedPairs / EDGES_PER_PARTITION);
        ConnectedComponents.Result cc =
            ConnectedComponents.run(edges.repartition(parts, col("a")), MAX_CC_ITERATIONS);
        labels = cc.labels();
        iterations = cc.iterations();
      }
      List<Column> winnerCols = new ArrayList<>(List.of(col(DocumentSchema.ID), col("__gmin")));
      rankCols.forEach(c -> winnerCols.add(col(c)));
      WindowSpec inComp = Window.partitionBy("component");
      WindowSpec compRanked = inComp.orderBy(order.toArray(Column[]::new));
      Dataset<Row> nearFate =
          labels
              .join(winners.select(winnerCols.toArray(Column[]::new)), DocumentSchema.ID)
              .withColumn("__crn", row_number().over(compRanked))
              .select(
                  col(DocumentSchema.ID),
                  min(col("__gmin")).over(inComp).as(CLUSTER_ID),
                  col("__crn").gt(1).as("removed"),
                  first(col(DocumentSchema.ID)).over(compRanked).as("kept_id"),
                  lit("near").as("reason"));

      // (5) Exact groups: duplicates removed in favour of their winner, which takes its
      // component's cluster id when it has near duplicates, else the group's smallest id.
      Dataset<Row> exactFate =
          exactRanked
              .filter(col("__gsize").gt(1))
              .select(col(DocumentSchema.ID), col("__rn"), col("__exact_kept"), col("__gmin"))
              .join(
                  nearFate.select(col(DocumentSchema.ID).as("__exact_kept"), col(CLUSTER_ID)),
                  new String[] {"__exact_kept"},
                  "left")
              .filter(col("__rn").gt(1).or(col(CLUSTER_ID).isNull()))
              .select(
                  col(DocumentSchema.ID),
                  coalesce(col(CLUSTER_ID), col("__gmin")).as(CLUSTER_ID),
                  col("__rn").gt(1).as("removed"),
                  col("__exact_kept").as("kept_id"),
                  lit("exact").as("reason"));
      // Every document in a cluster of two or more, once: (id, cluster_id, removed, kept_id,
      // reason).
      Dataset<Row> fate = cache(cached, nearFate.unionByName(exactFate));
      long clustered = fate.count();

      // (6) Survivors: the documents read again, each with its exact hash and cluster id.
      Dataset<Row> fateOfId = fate.select(col(DocumentSchema.ID), col(CLUSTER_ID), col("removed"));
      Dataset<Row> survivors =
          docs.join(
                  clustered <= BROADCAST_FATE_ROWS ? broadcast(fateOfId) : fateOfId,
                  new String[] {DocumentSchema.ID},
                  "left")
              .filter(col("removed").isNull().or(not(col("removed"))))
              .drop("removed")
              // Hashed again rather than joined from the key rows: one cheap pass over text this
              // pass reads anyway, where a join would shuffle every document.
              .withColumn(EXACT_HASH, exactHash(shingler).apply(col(DocumentSchema.TEXT)));
      StageTables.declareIdAndTextNotNull(survivors)
          .write()
          .partitionBy(DocumentSchema.KIND, DocumentSchema.LANG)
          .parquet(tmp);

      Dataset<Row> removed = fate.filter(col("removed"));
      Dataset<Row> nearRows =
          removed
              .filter(col("reason").equalTo("near"))
              .join(sigOf, DocumentSchema.ID)
              .join(
                  sigOf.select(col(DocumentSchema.ID).as("kept_id"), col("sig").as("sig_b")),
                  "kept_id")
              .withColumn("jaccard", JACCARD.apply(col("sig"), col("sig_b")));
      removed
          .filter(col("reason").equalTo("exact"))
          .withColumn("jaccard", lit(1.0))
          .unionByName(nearRows.drop("sig", "sig_b"))
          .select(
              col(DocumentSchema.ID),
              col("kept_id"),
              col(CLUSTER_ID),
              col("jaccard"),
              col("reason"))
          .write()
          .parquet(removedTmp);

      Row c =
          fate.groupBy(CLUSTER_ID)
              .agg(
                  count(lit(1)).as("size"),
                  sum(when(col("removed").and(col("reason").equalTo("exact")), 1).otherwise(0))
                      .as("exact"),
                  sum(when(col("removed").and(col("reason").equalTo("near")), 1).otherwise(0))
                      .as("near"))
              .agg(count(lit(1)), max("size"), sum("exact"), sum("near"))
              .first();
      long clusters = c.getLong(0);
      long exactRemoved = c.isNullAt(2) ? 0 : c.getLong(2);
      long nearRemoved = c.isNullAt(3) ? 0 : c.getLong(3);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("stage", "dedup");
      stats.put("input", o.input());
      stats.put("input_documents", input);
      stats.put("exact_removed", exactRemoved);
      stats.put("near_removed", nearRemoved);
      stats.put("survivors", input - exactRemoved - nearRemoved);
      stats.put("clusters", clusters);
      stats.put("largest_cluster", c.isNullAt(1) ? 1L : c.getLong(1));
      stats.put("candidate_pairs", candidatePairs);
      stats.put("verified_pairs", verifiedPairs);
      stats.put("capped_buckets", capped);
      stats.put("cc_iterations", iterations);
      stats.put("bands", o.bands());
      stats.put("rows", o.rows());
      stats.put("threshold", o.threshold());
      stats.put("verification", o.threshold() > 0);
      stats.put("shingle_size", o.shingleSize());
      stats.put("normalization", o.normalization().toString());
      stats.put("per_source", o.perSource());
      stats.put("bucket_cap", o.bucketCap());
      stats.put("s_curve", SCurve.values(o.bands(), o.rows()));
      return stats;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> d) {
    Dataset<Row> p = d.persist(StorageLevel.MEMORY_AND_DISK_SER());
    cached.add(p);
    return p;
  }

  private static UserDefinedFunction exactHash(Shingler shingler) {
    return udf((UDF1<String, Long>) shingler::exactHash, DataTypes.LongType);
  }

  /**
   * Band rows {@code (grp, band, band hash, id)} of the winners, shuffled by bucket and sorted
   * within it, then expanded to candidate pairs by {@link BucketPairs}: rows {@code (a, b)}, with
   * {@code b} null on one marker row per capped bucket. Only ids travel, never signatures.
   */
  private static Dataset<Row> bucketPairs(Dataset<Row> winners, Options o) {
    int bands = o.bands();
    int rows = o.rows();
    StructType bandSchema =
        new StructType()
            .add("grp", DataTypes.StringType, false)
            .add("band", DataTypes.IntegerType, false)
            .add("bh", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false);
    StructType pairSchema =
        new StructType().add("a", DataTypes.StringType, false).add("b", DataTypes.StringType, true);
    return winners
        .select(col("__grp"), col(DocumentSchema.ID), col("sig"))
        .flatMap(
            (FlatMapFunction<Row, Row>)
                r -> {
                  int[] sig = MinHasher.fromBytes((byte[]) r.get(2));
                  List<Row> out = new ArrayList<>(bands);
                  for (int b = 0; b < bands; b++) {
                    out.add(
                        RowFactory.create(
                            r.getString(0),
                            b,
                            Hashing.band(sig, b, b * rows, rows),
                            r.getString(1)));
                  }
                  return out.iterator();
                },
            RowEncoder.encoderFor(bandSchema))
        .repartition(col("grp"), col("band"), col("bh"))
        .sortWithinPartitions("grp", "band", "bh", "id")
        .mapPartitions(new BucketPairs(o.bucketCap()), RowEncoder.encoderFor(pairSchema));
  }
}
