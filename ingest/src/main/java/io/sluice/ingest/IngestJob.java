package io.sluice.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.doc.Quarantined;
import io.sluice.core.spark.CountsAccumulator;
import io.sluice.core.spark.ProgressReporter;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import io.sluice.ingest.read.InputFile;
import io.sluice.ingest.read.InputFileReader;
import io.sluice.ingest.read.InputFormat;
import io.sluice.ingest.read.InputLister;
import io.sluice.ingest.read.ReadLimits;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The ingest stage as a Spark job: raw corpora in, a {@code documents/} table out (Parquet,
 * partitioned by {@code kind} and {@code lang}), with refused records in {@code _quarantine/} and
 * statistics in {@code stats.json}.
 *
 * <p>Scale-out: input files are listed once on the driver and distributed as a task list; no
 * document ever travels to the driver (only per-language and per-reason counts do). The output is
 * committed atomically ({@link StageOutput}); a committed output is left alone unless forced.
 */
public final class IngestJob {

  /** The quarantine table's directory inside the output. */
  public static final String QUARANTINE = "_quarantine";

  /** One row per document or quarantined record: the document columns plus {@code _quarantine}. */
  static final StructType OUTCOME;

  static {
    List<StructField> fields = new ArrayList<>();
    for (StructField f : DocumentSchema.DOCUMENT.fields()) {
      fields.add(DataTypes.createStructField(f.name(), f.dataType(), true));
    }
    fields.add(DataTypes.createStructField("_quarantine", DocumentSchema.QUARANTINE, true));
    OUTCOME = DataTypes.createStructType(fields);
  }

  /**
   * What to ingest and where.
   *
   * @param format a format for every input file, or null to tell each by its name
   * @param source corpus name for every document, or null to name each after its file
   * @param failOnEmpty fail (and commit nothing) when no document comes out, instead of committing
   *     an empty stage with a warning
   */
  public record Options(
      List<String> inputs,
      String output,
      InputFormat format,
      String source,
      ReadLimits limits,
      boolean force,
      StorageConfig storage,
      boolean failOnEmpty) {

    /** Options that commit an empty stage with a warning. */
    public Options(
        List<String> inputs,
        String output,
        InputFormat format,
        String source,
        ReadLimits limits,
        boolean force,
        StorageConfig storage) {
      this(inputs, output, format, source, limits, force, storage, false);
    }

    public Options {
      if (inputs == null || inputs.isEmpty()) {
        throw new IllegalArgumentException("ingest needs at least one --input");
      }
      Objects.requireNonNull(output, "output");
      limits = limits == null ? ReadLimits.DEFAULT : limits;
      storage = storage == null ? StorageConfig.defaults() : storage;
    }
  }

  private final SparkSession spark;

  public IngestJob(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Runs ingest, or does nothing when the output is already committed and not forced.
   *
   * @param progress where to print progress lines, or null for none
   */
  public IngestSummary run(Options options, PrintStream progress) throws IOException {
    // Driver-side listing, Spark's writers and the commit all use the session's Hadoop
    // configuration; make its s3a settings those of this run.
    options.storage().hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    StageOutput output =
        new StageOutput(options.output(), spark.sparkContext().hadoopConfiguration());
    if (output.isCommitted() && !options.force()) {
      return IngestSummary.alreadyCommitted(output.path());
    }
    InputLister.Listing listing =
        InputLister.list(
            options.inputs(),
            options.format(),
            options.source(),
            spark.sparkContext().hadoopConfiguration());
    if (listing.files().isEmpty() && listing.unsupported().isEmpty()) {
      throw new IllegalArgumentException("no input files found under " + options.inputs());
    }
    String tmp = output.begin(options.force(), options.inputs());
    try (ProgressReporter reporter =
        new ProgressReporter(
            spark, "ingest", listing.files().size(), listing.totalBytes(), progress)) {
      Map<String, Object> stats =
          ingest(listing, options, tmp, output.sidecar(QUARANTINE), reporter);
      if (((Number) stats.get("documents")).longValue() == 0) {
        String why =
            "ingest: no document came out of "
                + listing.fileCount()
                + " input files (quarantined by reason: "
                + stats.get("quarantined_by_reason")
                + ", skipped: "
                + stats.get("skipped_by_reason")
                + "; see "
                + output.path()
                + "/_quarantine)";
        if (options.failOnEmpty()) {
          throw new IllegalStateException(why + "; nothing committed (--fail-on-empty)");
        }
        stats.put("warnings", List.of(why));
        if (progress != null) {
          progress.println(
              "warning: " + why + "; the stage is committed empty (--fail-on-empty refuses)");
        }
      }
      String json =
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(stats);
      output.commit(json, QUARANTINE);
      return new IngestSummary(output.path(), stats, false);
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    }
  }

  /**
   * Bytes of input a task should get: large enough to amortise task start, small enough to spread
   * work.
   */
  static final long BYTES_PER_TASK = 128L << 20;

  /**
   * How many tasks to cut the file list into: one per {@link #BYTES_PER_TASK} of input, at least
   * two per core (so a big file does not leave cores idle), at most one per file.
   */
  static int slices(InputLister.Listing listing, int parallelism) {
    int files = listing.files().size();
    long bySize = (listing.totalBytes() + BYTES_PER_TASK - 1) / BYTES_PER_TASK;
    long wanted = Math.max(bySize, 2L * parallelism);
    return (int) Math.max(1, Math.min(files, Math.min(wanted, 1_000_000)));
  }

  private Map<String, Object> ingest(
      InputLister.Listing listing,
      Options options,
      String tmp,
      String quarantineTmp,
      ProgressReporter reporter)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    CountsAccumulator skipped = new CountsAccumulator();
    spark.sparkContext().register(skipped, "ingest.skipped");
    int slices = slices(listing, jsc.defaultParallelism());
    JavaRDD<InputFile> tasks = jsc.parallelize(listing.files(), slices);
    IngestTask task =
        new IngestTask(
            new InputFileReader(options.limits()),
            options.storage().hadoopS3aOptions(),
            reporter.units,
            reporter.rows,
            reporter.bytes,
            skipped);
    String duplicatesTmp = quarantineTmp + "-duplicates";
    Dataset<Row> outcomes =
        spark
            .createDataFrame(tasks.mapPartitions(task), OUTCOME)
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      Dataset<Row> docs =
          spark.createDataFrame(
              outcomes.filter(col("_quarantine").isNull()).drop("_quarantine").javaRDD(),
              DocumentSchema.DOCUMENT);
      docs.write().partitionBy(DocumentSchema.KIND, DocumentSchema.LANG).parquet(tmp);
      Dataset<Row> duplicates = UniqueIds.enforce(spark, tmp, tmp + "-unique", duplicatesTmp);
      if (!duplicates.isEmpty()) {
        docs = StageTables.read(spark, tmp); // the table was rewritten with one document per id
      }

      Dataset<Row> quarantined =
          outcomes
              .filter(col("_quarantine").isNotNull())
              .select("_quarantine.*")
              .unionByName(duplicates);
      List<Row> unsupported = new ArrayList<>();
      for (String f : listing.unsupported()) {
        unsupported.add(
            DocumentSchema.toRow(
                new Quarantined(
                    f,
                    -1,
                    -1,
                    "unsupported_format",
                    "file name matches no supported format (WARC/WET, JSONL, Parquet, source code,"
                        + " tar/zip)",
                    "")));
      }
      if (!unsupported.isEmpty()) {
        quarantined =
            quarantined.union(spark.createDataFrame(unsupported, DocumentSchema.QUARANTINE));
      }
      // The documents write computes the cached outcomes with all tasks; only then is the small
      // quarantine table coalesced (coalescing first would run the whole ingest in one task).
      quarantined.coalesce(1).write().parquet(quarantineTmp);

      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("stage", "ingest");
      stats.put("inputs", options.inputs());
      stats.put("input_files", listing.fileCount());
      stats.put("input_bytes", listing.totalBytes());
      long documents = 0;
      long bytes = 0;
      Map<String, Long> perLanguage = new TreeMap<>();
      Map<String, Long> perKind = new TreeMap<>();
      List<Map<String, Object>> perKindLang = new ArrayList<>();
      for (Row r :
          docs.groupBy(DocumentSchema.KIND, DocumentSchema.LANG)
              .agg(
                  count(lit(1)).as("documents"),
                  sum(octet_length(col(DocumentSchema.TEXT))).as("bytes"))
              .orderBy(col("documents").desc(), col(DocumentSchema.KIND), col(DocumentSchema.LANG))
              .collectAsList()) {
        long n = r.getLong(2);
        long b = r.isNullAt(3) ? 0 : r.getLong(3);
        documents += n;
        bytes += b;
        perLanguage.merge(r.getString(1), n, Long::sum);
        perKind.merge(r.getString(0), n, Long::sum);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("kind", r.getString(0));
        entry.put("lang", r.getString(1));
        entry.put("documents", n);
        entry.put("bytes", b);
        perKindLang.add(entry);
      }
      Map<String, Long> byReason = new TreeMap<>();
      long quarantinedCount = 0;
      for (Row r : quarantined.groupBy("reason").count().collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
        quarantinedCount += r.getLong(1);
      }
      stats.put("documents", documents);
      stats.put("bytes", bytes);
      stats.put("quarantined", quarantinedCount);
      stats.put("quarantined_by_reason", byReason);
      stats.put("skipped_by_reason", skipped.value());
      stats.put("documents_by_kind", perKind);
      stats.put("languages", perLanguage);
      stats.put("by_kind_lang", perKindLang);
      double seconds = reporter.elapsedSeconds();
      stats.put("elapsed_seconds", Math.round(seconds * 100) / 100.0);
      stats.put(
          "input_mb_per_second", Math.round(listing.totalBytes() / 1e6 / seconds * 100) / 100.0);
      return stats;
    } finally {
      outcomes.unpersist();
      org.apache.hadoop.fs.Path dups = HadoopPaths.of(duplicatesTmp);
      dups.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(dups, true);
    }
  }
}
