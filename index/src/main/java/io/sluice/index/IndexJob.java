package io.sluice.index;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.spark_partition_id;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.spark.ProgressReporter;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.Sha256;
import io.sluice.core.storage.StorageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code index} stage as a Spark job: documents (a stage output such as {@code deduped/}, or a
 * BEIR {@code corpus.jsonl[.gz]} with {@code _id}, {@code title}, {@code text}) in; an index
 * directory out (layout in index/README.md).
 *
 * <p>Documents are hash-partitioned by id into shards, split into passages ({@link
 * PassageSplitter}), and each shard is built by one task ({@link ShardTask}): Lucene BM25 plus,
 * unless {@code dense = NONE}, document-tower embeddings in FAISS. The driver then writes {@code
 * manifest.json} with every file's checksum and commits through {@link StageOutput}. The output is
 * a local directory or an {@code s3://} prefix: shard tasks build in local temporary directories
 * and upload into the stage's temporary prefix, the manifest is written there last, and the commit
 * moves it in place before {@code _SUCCESS} (the retrieval server fetches an S3 index into its
 * cache and verifies it against the manifest).
 */
public final class IndexJob {

  /** Passage row schema between splitting and shard building. */
  static final StructType PASSAGE =
      new StructType()
          .add("doc_id", DataTypes.StringType, false)
          .add("ordinal", DataTypes.IntegerType, false)
          .add("start", DataTypes.IntegerType, false)
          .add("end", DataTypes.IntegerType, false)
          .add("title", DataTypes.StringType, true)
          .add("text", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, true)
          .add("lang", DataTypes.StringType, true)
          .add("source", DataTypes.StringType, true)
          .add("url", DataTypes.StringType, true)
          .add("path", DataTypes.StringType, true);

  /**
   * @param dense dense index type, or NONE for BM25 only
   * @param shards number of shards, 0 = one per million documents
   * @param passageWords words per web passage
   * @param codeLines lines per code passage
   * @param lang language of documents that have none (BEIR corpora), e.g. {@code en}
   * @param docTower the document tower
   * @param batchSize encoder batch size
   * @param threads encoder threads per shard task (0 = all cores)
   * @param device {@code cpu} or {@code cuda}
   */
  public record Options(
      String input,
      String output,
      DenseType dense,
      int shards,
      int passageWords,
      int codeLines,
      String lang,
      float k1,
      float b,
      TowerConfig docTower,
      int batchSize,
      int threads,
      String device,
      boolean force,
      StorageConfig storage)
      implements Serializable {

    public Options {
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(output, "output");
      Objects.requireNonNull(dense, "dense");
      Objects.requireNonNull(docTower, "docTower");
      storage = storage == null ? StorageConfig.defaults() : storage;
      if (shards < 0 || batchSize < 1 || threads < 0) {
        throw new IllegalArgumentException(
            "need shards >= 0, batch >= 1, threads >= 0; got "
                + shards
                + ", "
                + batchSize
                + ", "
                + threads);
      }
      new PassageSplitter(passageWords, codeLines); // validates the sizes
    }

    public static Builder builder(String input, String output) {
      return new Builder(input, output);
    }

    /** Builds {@link Options}; defaults as in the CLI. Not thread-safe. */
    public static final class Builder {
      private final String input;
      private final String output;
      private DenseType dense = DenseType.AUTO;
      private int shards;
      private int passageWords = PassageSplitter.WORDS;
      private int codeLines = PassageSplitter.CODE_LINES;
      private String lang = "en";
      private float k1 = 0.9f;
      private float b = 0.4f;
      private TowerConfig docTower = TowerConfig.BGE_SMALL_EN_V15;
      private int batchSize = 16;
      private int threads;
      private String device = "cpu";
      private boolean force;
      private StorageConfig storage;

      private Builder(String input, String output) {
        this.input = input;
        this.output = output;
      }

      public Builder dense(DenseType d) {
        this.dense = d;
        return this;
      }

      public Builder shards(int n) {
        this.shards = n;
        return this;
      }

      public Builder passageWords(int n) {
        this.passageWords = n;
        return this;
      }

      public Builder codeLines(int n) {
        this.codeLines = n;
        return this;
      }

      public Builder lang(String l) {
        this.lang = l;
        return this;
      }

      public Builder bm25(float k1, float b) {
        this.k1 = k1;
        this.b = b;
        return this;
      }

      public Builder docTower(TowerConfig t) {
        this.docTower = t;
        return this;
      }

      public Builder batchSize(int n) {
        this.batchSize = n;
        return this;
      }

      public Builder threads(int n) {
        this.threads = n;
        return this;
      }

      public Builder device(String d) {
        this.device = d;
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

      public Options build() {
        return new Options(
            input,
            output,
            dense,
            shards,
            passageWords,
            codeLines,
            lang,
            k1,
            b,
            docTower,
            batchSize,
            threads,
            device,
            force,
            storage);
      }
    }
  }

  /** What a run produced: where, its statistics ({@code stats.json}), or that it was committed. */
  public record Summary(String output, Map<String, Object> stats, boolean alreadyCommitted) {}

  private final SparkSession spark;

  public IndexJob(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * @param progress where progress lines go, or null
   */
  public Summary run(Options o, PrintStream progress) throws IOException {
    // The session may be shared (tests, pipeline): make its s3a settings those of this run.
    o.storage().hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    StageOutput output = new StageOutput(o.output(), spark.sparkContext().hadoopConfiguration());
    if (output.isCommitted() && !o.force()) {
      return new Summary(output.path(), Map.of(), true);
    }
    if (o.dense() != DenseType.NONE) {
      // Fail fast on the driver for a missing or corrupt model, before any Spark work.
      try (OnnxEncoder e = new OnnxEncoder(o.docTower(), 1, o.device())) {
        e.dim();
      }
    }
    Dataset<Row> docs = documents(o);
    long total = docs.count();
    Dataset<Row> valid = docs.filter(col("id").isNotNull().and(length(col("text")).gt(0)));
    long documents = valid.count();
    if (documents == 0) {
      throw new IllegalArgumentException(
          "input "
              + o.input()
              + " holds no documents with an id and non-empty text ("
              + total
              + " records read)");
    }
    int shards = o.shards() > 0 ? o.shards() : (int) Math.max(1, (documents + 999_999) / 1_000_000);
    PassageSplitter splitter = new PassageSplitter(o.passageWords(), o.codeLines());
    Dataset<Row> passages =
        valid
            .repartition(shards, col("id"))
            .sortWithinPartitions("id")
            .flatMap(split(splitter), RowEncoder.encoderFor(PASSAGE))
            .persist(StorageLevel.MEMORY_AND_DISK());
    String tmp = output.begin(o.force(), List.of(o.input()));
    long start = System.nanoTime();
    try (ProgressReporter pr = new ProgressReporter(spark, "index", shards, 0, progress)) {
      Map<Integer, Long> counts = new HashMap<>();
      for (Row r : passages.groupBy(spark_partition_id().as("p")).count().collectAsList()) {
        counts.put(r.getInt(0), r.getLong(1));
      }
      passages.foreachPartition(new ShardTask(tmp, o, counts, pr.rows, pr.bytes, pr.units));
      Path dir = HadoopPaths.of(tmp);
      FileSystem fs = raw(dir.getFileSystem(spark.sparkContext().hadoopConfiguration()));
      IndexManifest m = manifest(o, fs, dir, documents);
      try (OutputStream out = fs.create(new Path(dir, IndexManifest.FILE))) {
        out.write(m.toJson().getBytes(StandardCharsets.UTF_8));
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("stage", "index");
      stats.put("input", o.input());
      stats.put("records", total);
      stats.put("skipped_no_id_or_text", total - documents);
      stats.put("documents", m.documents());
      stats.put("passages", m.passages());
      stats.put("truncated_passages", m.truncated());
      stats.put("shards", m.shards().size());
      stats.put("dense", m.dense() == null ? "none" : m.dense().type());
      stats.put("bytes", m.files().stream().mapToLong(IndexManifest.FileEntry::bytes).sum());
      stats.put("elapsed_seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
      output.commit(json(stats));
      return new Summary(output.path(), stats, false);
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    } finally {
      passages.unpersist();
    }
  }

  /**
   * Local output goes through the raw local file system: the checksummed one would add {@code .crc}
   * files that the manifest does not list and that {@code sluice distill}'s rewrite would leave
   * stale.
   */
  private static FileSystem raw(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /**
   * The manifest from the shards' {@code shard.json} files, read through the output's file system
   * (local or S3): counts, and the files each shard task listed with their checksums, plus {@code
   * shard.json} itself.
   */
  private IndexManifest manifest(Options o, FileSystem fs, Path dir, long documents)
      throws IOException {
    List<IndexManifest.Shard> shards = new ArrayList<>();
    List<IndexManifest.FileEntry> files = new ArrayList<>();
    TreeSet<String> analyzers = new TreeSet<>();
    long passages = 0;
    long truncated = 0;
    ObjectMapper om = new ObjectMapper();
    List<String> names = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir, p -> p.getName().startsWith("shard-"))) {
      names.add(st.getPath().getName());
    }
    Collections.sort(names);
    for (String name : names) {
      byte[] bytes;
      try (InputStream in = fs.open(new Path(dir, name + "/shard.json"))) {
        bytes = in.readAllBytes();
      }
      JsonNode j = om.readTree(bytes);
      IndexManifest.Shard sh =
          new IndexManifest.Shard(
              j.path("name").asText(),
              j.path("documents").asLong(),
              j.path("passages").asLong(),
              j.path("truncated").asLong(),
              j.path("faiss").asText());
      for (JsonNode a : j.path("analyzers")) {
        analyzers.add(a.asText());
      }
      for (JsonNode f : j.path("files")) {
        files.add(
            new IndexManifest.FileEntry(
                name + "/" + f.path("path").asText(),
                f.path("bytes").asLong(),
                f.path("sha256").asText()));
      }
      files.add(new IndexManifest.FileEntry(name + "/shard.json", bytes.length, Sha256.of(bytes)));
      shards.add(sh);
      passages += sh.passages();
      truncated += sh.truncated();
    }
    files.sort(Comparator.comparing(IndexManifest.FileEntry::path));
    IndexManifest.Dense dense = null;
    if (o.dense() != DenseType.NONE) {
      int dim;
      try (OnnxEncoder e = new OnnxEncoder(o.docTower(), 1, o.device())) {
        dim = e.dim();
      }
      dense =
          new IndexManifest.Dense(
              o.dense().name().toLowerCase(java.util.Locale.ROOT),
              dim,
              o.docTower(),
              DenseType.searchParameters());
    }
    return new IndexManifest(
        IndexManifest.FORMAT,
        IndexManifest.VERSION,
        Instant.now().toString(),
        o.input(),
        o.passageWords(),
        o.codeLines(),
        documents,
        passages,
        truncated,
        new IndexManifest.Bm25(o.k1(), o.b(), new ArrayList<>(analyzers)),
        dense,
        null,
        shards,
        files);
  }

  /** The input as rows of id, title, text, kind, lang, source, url, path. */
  private Dataset<Row> documents(Options o) {
    String in = o.input();
    String lower = in.toLowerCase(java.util.Locale.ROOT);
    Dataset<Row> raw;
    boolean json =
        lower.endsWith(".jsonl")
            || lower.endsWith(".jsonl.gz")
            || lower.endsWith(".json")
            || lower.endsWith(".json.gz")
            || lower.endsWith(".ndjson");
    raw = json ? spark.read().json(in) : StageTables.read(spark, in);
    List<String> cols = List.of(raw.columns());
    if (cols.contains("_corrupt_record") && cols.size() == 1) {
      throw new IllegalArgumentException(
          "input " + in + " is not JSON lines: no record could be parsed");
    }
    Column id =
        cols.contains("_id") && cols.contains(DocumentSchema.ID)
            ? coalesce(col("_id").cast("string"), col(DocumentSchema.ID).cast("string"))
            : cols.contains("_id")
                ? col("_id").cast("string")
                : cols.contains(DocumentSchema.ID) ? col(DocumentSchema.ID).cast("string") : null;
    if (id == null || !cols.contains(DocumentSchema.TEXT)) {
      throw new IllegalArgumentException(
          "input "
              + in
              + " is not a documents table or BEIR corpus: missing field '"
              + (id == null ? "id' (or '_id" : DocumentSchema.TEXT)
              + "' (columns: "
              + String.join(", ", cols)
              + ")");
    }
    return raw.select(
        id.as("id"),
        optional(cols, "title"),
        col(DocumentSchema.TEXT).cast("string").as("text"),
        cols.contains(DocumentSchema.KIND)
            ? coalesce(col(DocumentSchema.KIND), lit("web")).as("kind")
            : lit("web").as("kind"),
        cols.contains(DocumentSchema.LANG)
            ? coalesce(col(DocumentSchema.LANG), lit(o.lang())).as("lang")
            : lit(o.lang()).as("lang"),
        optional(cols, DocumentSchema.SOURCE),
        optional(cols, DocumentSchema.URL),
        optional(cols, DocumentSchema.PATH));
  }

  private static Column optional(List<String> cols, String name) {
    return cols.contains(name)
        ? col(name).cast("string").as(name)
        : lit(null).cast("string").as(name);
  }

  /** One document row to its passage rows; lazy, so a partition never sits in memory whole. */
  private static FlatMapFunction<Row, Row> split(PassageSplitter splitter) {
    return d ->
        splitter
            .split(
                d.getString(0),
                d.getString(1),
                d.getString(2),
                d.getString(3),
                d.getString(4),
                d.getString(5),
                d.getString(6),
                d.getString(7))
            .stream()
            .map(
                p ->
                    RowFactory.create(
                        p.docId(),
                        p.ordinal(),
                        p.start(),
                        p.end(),
                        p.title(),
                        p.text(),
                        p.kind(),
                        p.lang(),
                        p.source(),
                        p.url(),
                        p.path()))
            .iterator();
  }

  static Passage passage(Row r) {
    return new Passage(
        r.getString(0),
        r.getInt(1),
        r.getInt(2),
        r.getInt(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        r.getString(8),
        r.getString(9),
        r.getString(10));
  }

  static String json(Object o) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
