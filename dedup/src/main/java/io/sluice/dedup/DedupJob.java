package io.sluice.dedup;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
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
import org.apache.spark.api.java.function.MapFunction;
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
 * <p>Steps: (1) exact groups by {@code exact_hash}, one winner each; (2) MinHash signatures of the
 * winners, LSH band buckets by a shuffle on {@code (group, band, band hash)}, candidate pairs
 * verified by the signature Jaccard estimate; (3) connected components of the verified pairs
 * ({@link ConnectedComponents}); (4) one survivor per component. Everywhere the document kept is
 * the one with the highest {@code quality_score}, then earliest {@code crawl_date} (each when the
 * column exists; nulls last), then smallest {@code id}. A cluster's id is the smallest document id
 * in it, counting exact duplicates. Ids are assumed unique in the input.
 *
 * <p>Memory: signatures cost {@code 4 * bands * rows} bytes per document after exact dedup (448 B
 * at 14x8); the band shuffle carries each signature once per band, so about {@code bands * (4 *
 * bands * rows + id bytes)} per document, spillable to disk. Only counts reach the driver.
 */
public final class DedupJob {

  public static final String REMOVED = "removed";
  public static final String EXACT_HASH = "exact_hash";
  public static final String CLUSTER_ID = "cluster_id";

  static final String QUALITY_SCORE = "quality_score";
  private static final int MAX_CC_ITERATIONS = 100;

  /**
   * @param threshold minimum estimated Jaccard for a candidate pair to count as a duplicate; 0
   *     turns verification off (every candidate pair counts)
   * @param bands LSH bands; {@code bands * rows} is the number of minhashes
   * @param shingleSize units (words, characters or code tokens) per shingle
   * @param perSource dedup within each {@code source} only, never across sources
   * @param bucketCap band buckets with more documents are linked as a star to their minimum id
   *     instead of pairwise, and counted as capped
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

    /** Threshold 0.7, 14 bands x 8 rows (FineWeb), 5-grams, global, cap 10,000. */
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
      private int bucketCap = 10_000;
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
    String tmp = output.begin(o.force());
    long start = System.nanoTime();
    try {
      Map<String, Object> stats = dedup(docs, o, tmp, output.sidecar(REMOVED));
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
          docs.withColumn(DocumentSchema.ID, col(DocumentSchema.ID).cast(DataTypes.StringType))
              .filter(col(DocumentSchema.ID).isNotNull())
              .withColumn(DocumentSchema.TEXT, coalesce(col(DocumentSchema.TEXT), lit("")));
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
    Column grp =
        o.perSource() && cols.contains(DocumentSchema.SOURCE)
            ? coalesce(col(DocumentSchema.SOURCE).cast(DataTypes.StringType), lit(""))
            : lit("");
    Normalization norm = o.normalization();
    UserDefinedFunction exactHash =
        udf((UDF1<String, Long>) t -> Hashing.chars(norm.apply(t)), DataTypes.LongType);

    // (1) Exact groups. __rn = 1 is the group's winner; __gmin/__gsize feed cluster ids and sizes.
    WindowSpec group = Window.partitionBy(col("__grp"), col(EXACT_HASH));
    WindowSpec ranked = group.orderBy(order.toArray(Column[]::new));
    Dataset<Row> all =
        docs.withColumn(EXACT_HASH, exactHash.apply(col(DocumentSchema.TEXT)))
            .withColumn("__grp", grp)
            .withColumn("__rn", row_number().over(ranked))
            .withColumn("__exact_kept", first(col(DocumentSchema.ID)).over(ranked))
            .withColumn("__gmin", min(col(DocumentSchema.ID)).over(group))
            .withColumn("__gsize", count(lit(1)).over(group))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    List<Dataset<Row>> cached = new ArrayList<>(List.of(all));
    try {
      Dataset<Row> winners = all.filter(col("__rn").equalTo(1));

      // (2) Signatures and LSH candidate pairs.
      Shingler shingler = new Shingler(o.shingleSize(), norm);
      MinHasher hasher = new MinHasher(o.bands() * o.rows());
      StructType sigSchema =
          new StructType()
              .add("id", DataTypes.StringType, false)
              .add("grp", DataTypes.StringType, false)
              .add("sig", DataTypes.BinaryType, false);
      Dataset<Row> sigs =
          winners
              .select(
                  col(DocumentSchema.ID),
                  col("__grp"),
                  col(DocumentSchema.KIND),
                  col(DocumentSchema.TEXT))
              .mapPartitions(new SignatureTask(shingler, hasher), RowEncoder.encoderFor(sigSchema))
              .persist(StorageLevel.MEMORY_AND_DISK_SER());
      cached.add(sigs);
      Candidates candidates = candidates(sigs, o);
      Dataset<Row> edges = candidates.edges().persist(StorageLevel.MEMORY_AND_DISK_SER());
      cached.add(edges);
      long candidatePairs = edges.count();

      // (3) Components of verified pairs; a winner without edges is its own component.
      ConnectedComponents.Result cc = ConnectedComponents.run(edges, MAX_CC_ITERATIONS);
      List<String> rankCols = new ArrayList<>(List.of(DocumentSchema.ID, "__gmin", "__gsize"));
      for (String c : List.of(QUALITY_SCORE, DocumentSchema.CRAWL_DATE)) {
        if (cols.contains(c)) {
          rankCols.add(c);
        }
      }
      Dataset<Row> comp =
          winners
              .select(rankCols.stream().map(c -> col(c)).toArray(Column[]::new))
              .join(cc.labels(), new String[] {DocumentSchema.ID}, "left")
              .withColumn("component", coalesce(col("component"), col(DocumentSchema.ID)));
      WindowSpec inComp = Window.partitionBy("component");
      WindowSpec compRanked = inComp.orderBy(order.toArray(Column[]::new));
      // (4) One survivor per component; cluster id = smallest id including exact duplicates.
      Dataset<Row> clusters =
          comp.withColumn("__crn", row_number().over(compRanked))
              .withColumn("__kept", first(col(DocumentSchema.ID)).over(compRanked))
              .withColumn("__csize", sum(col("__gsize")).over(inComp))
              .withColumn(
                  CLUSTER_ID,
                  when(sum(col("__gsize")).over(inComp).gt(1), min(col("__gmin")).over(inComp)))
              .select(
                  col(DocumentSchema.ID),
                  col("__crn"),
                  col("__kept"),
                  col("__csize"),
                  col(CLUSTER_ID))
              .persist(StorageLevel.MEMORY_AND_DISK_SER());
      cached.add(clusters);

      Dataset<Row> survivors =
          winners
              .join(
                  clusters
                      .filter(col("__crn").equalTo(1))
                      .select(col(DocumentSchema.ID), col(CLUSTER_ID)),
                  new String[] {DocumentSchema.ID})
              .drop("__grp", "__rn", "__exact_kept", "__gmin", "__gsize");
      survivors.write().partitionBy(DocumentSchema.KIND, DocumentSchema.LANG).parquet(tmp);

      Dataset<Row> sigOf = sigs.select(col("id"), col("sig"));
      UserDefinedFunction estimate =
          udf(
              (org.apache.spark.sql.api.java.UDF2<byte[], byte[], Double>) MinHasher::jaccard,
              DataTypes.DoubleType);
      Dataset<Row> near =
          clusters
              .filter(col("__crn").gt(1))
              .join(sigOf, new String[] {DocumentSchema.ID})
              .join(
                  sigOf.select(col("id").as("__kept"), col("sig").as("kept_sig")),
                  new String[] {"__kept"})
              .select(
                  col(DocumentSchema.ID),
                  col("__kept").as("kept_id"),
                  col(CLUSTER_ID),
                  estimate.apply(col("sig"), col("kept_sig")).as("jaccard"),
                  lit("near").as("reason"));
      Dataset<Row> exact =
          all.filter(col("__rn").gt(1))
              .select(col(DocumentSchema.ID), col("__exact_kept").as("kept_id"))
              .join(
                  clusters.select(col(DocumentSchema.ID).as("kept_id"), col(CLUSTER_ID)),
                  new String[] {"kept_id"})
              .select(
                  col(DocumentSchema.ID),
                  col("kept_id"),
                  col(CLUSTER_ID),
                  lit(1.0).as("jaccard"),
                  lit("exact").as("reason"));
      exact.unionByName(near).write().parquet(removedTmp);

      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("stage", "dedup");
      stats.put("input", o.input());
      long input = all.count();
      long exactRemoved = all.filter(col("__rn").gt(1)).count();
      long nearRemoved = clusters.filter(col("__crn").gt(1)).count();
      Row c =
          clusters
              .filter(col("__crn").equalTo(1))
              .agg(
                  count(CLUSTER_ID), // non-null: clusters with at least two documents
                  max(when(col(CLUSTER_ID).isNotNull(), col("__csize"))))
              .first();
      stats.put("input_documents", input);
      stats.put("exact_removed", exactRemoved);
      stats.put("near_removed", nearRemoved);
      stats.put("survivors", input - exactRemoved - nearRemoved);
      stats.put("clusters", c.getLong(0));
      stats.put("largest_cluster", c.isNullAt(1) ? 1L : c.getLong(1));
      stats.put("candidate_pairs", candidatePairs);
      stats.put("capped_buckets", candidates.cappedBuckets());
      stats.put("cc_iterations", cc.iterations());
      stats.put("bands", o.bands());
      stats.put("rows", o.rows());
      stats.put("threshold", o.threshold());
      stats.put("verification", o.threshold() > 0);
      stats.put("shingle_size", o.shingleSize());
      stats.put("normalization", norm.toString());
      stats.put("per_source", o.perSource());
      stats.put("bucket_cap", o.bucketCap());
      stats.put("s_curve", SCurve.values(o.bands(), o.rows()));
      return stats;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /**
   * @param edges verified candidate pairs {@code a, b, jaccard}
   * @param cappedBuckets band buckets larger than the cap, linked as stars
   */
  record Candidates(Dataset<Row> edges, long cappedBuckets) {}

  /**
   * Band buckets by a shuffle on {@code (grp, band, band hash)}. A bucket of up to {@code
   * bucketCap} documents yields every pair in it (verified in place, since members carry their
   * signatures); a larger one yields a star to its smallest id (each member verified against that
   * one), which keeps the shuffle and pair count linear in the bucket size while still connecting
   * members that really are similar to it.
   */
  private Candidates candidates(Dataset<Row> sigs, Options o) {
    int bands = o.bands();
    int rows = o.rows();
    double threshold = o.threshold();
    StructType bandSchema =
        new StructType()
            .add("grp", DataTypes.StringType, false)
            .add("band", DataTypes.IntegerType, false)
            .add("bh", DataTypes.LongType, false)
            .add("id", DataTypes.StringType, false)
            .add("sig", DataTypes.BinaryType, false);
    Dataset<Row> bandRows =
        sigs.flatMap(
                (FlatMapFunction<Row, Row>)
                    r -> {
                      int[] sig = MinHasher.fromBytes((byte[]) r.get(2));
                      List<Row> out = new ArrayList<>(bands);
                      for (int b = 0; b < bands; b++) {
                        out.add(
                            RowFactory.create(
                                r.getString(1),
                                b,
                                Hashing.band(sig, b, b * rows, rows),
                                r.getString(0),
                                r.get(2)));
                      }
                      return out.iterator();
                    },
                RowEncoder.encoderFor(bandSchema))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    Column[] key = {col("grp"), col("band"), col("bh")};
    Dataset<Row> buckets =
        bandRows
            .groupBy(key)
            .agg(count(lit(1)).as("n"), min(struct(col("id"), col("sig"))).as("head"))
            .filter(col("n").geq(2))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    long capped = buckets.filter(col("n").gt(o.bucketCap())).count();

    StructType edgeSchema =
        new StructType()
            .add("a", DataTypes.StringType, false)
            .add("b", DataTypes.StringType, false)
            .add("jaccard", DataTypes.DoubleType, false);
    Dataset<Row> pairs =
        bandRows
            .join(
                buckets.filter(col("n").leq(o.bucketCap())).select(key),
                new String[] {"grp", "band", "bh"})
            .groupBy(key)
            .agg(collect_list(struct(col("id"), col("sig"))).as("m"))
            .flatMap(
                (FlatMapFunction<Row, Row>)
                    r -> {
                      List<Row> m = r.getList(r.fieldIndex("m"));
                      List<int[]> s = new ArrayList<>(m.size());
                      for (Row x : m) {
                        s.add(MinHasher.fromBytes((byte[]) x.get(1)));
                      }
                      List<Row> out = new ArrayList<>();
                      for (int i = 0; i < m.size(); i++) {
                        for (int j = i + 1; j < m.size(); j++) {
                          double jac = MinHasher.jaccard(s.get(i), s.get(j));
                          if (jac >= threshold) {
                            out.add(
                                RowFactory.create(
                                    m.get(i).getString(0), m.get(j).getString(0), jac));
                          }
                        }
                      }
                      return out.iterator();
                    },
                RowEncoder.encoderFor(edgeSchema));
    Dataset<Row> stars =
        bandRows
            .join(
                buckets
                    .filter(col("n").gt(o.bucketCap()))
                    .select(col("grp"), col("band"), col("bh"), col("head")),
                new String[] {"grp", "band", "bh"})
            .filter(col("id").notEqual(col("head.id")))
            .select(col("id"), col("sig"), col("head.id").as("hid"), col("head.sig").as("hsig"))
            .map(
                (MapFunction<Row, Row>)
                    r ->
                        RowFactory.create(
                            r.getString(0),
                            r.getString(2),
                            MinHasher.jaccard((byte[]) r.get(1), (byte[]) r.get(3))),
                RowEncoder.encoderFor(edgeSchema))
            .filter(col("jaccard").geq(threshold));
    Dataset<Row> edges = pairs.union(stars).select(col("a"), col("b")).distinct();
    return new Candidates(edges, capped);
  }
}
