package io.sluice.jobs;

import io.sluice.core.spark.SparkSessions;
import io.sluice.ingest.IngestJob;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.read.InputFormat;
import io.sluice.ingest.read.ReadLimits;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice ingest}: raw corpora to a committed {@code documents/} stage. Also a spark-submit
 * main class.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Read WARC/WET, JSONL, Parquet and source code into clean, language-labelled documents"
            + " (Parquet).")
public final class IngestCommand implements Callable<Integer> {

  /** The formats a user may force; {@code auto} tells each file by its name. */
  enum FormatChoice {
    auto,
    warc,
    jsonl,
    parquet,
    code
  }

  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      paramLabel = "PATH",
      description = "input files or directories, local or s3://bucket/prefix")
  List<String> inputs;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "output directory, local or s3://")
  String output;

  @Option(
      names = "--format",
      defaultValue = "auto",
      description = "input format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  FormatChoice format;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "corpus name of documents whose record names none (default: the file name)")
  String source;

  @Option(
      names = "--max-record-bytes",
      defaultValue = "67108864",
      paramLabel = "N",
      description =
          "records larger than this are quarantined as too_large (default: ${DEFAULT-VALUE})")
  long maxRecordBytes;

  @Option(names = "--force", description = "redo the stage even if its output is committed")
  boolean force;

  @Option(
      names = "--fail-on-empty",
      description = "fail, committing nothing, when no document comes out (default: warn)")
  boolean failOnEmpty;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    InputFormat forced =
        switch (format) {
          case auto -> null;
          case warc -> InputFormat.WARC;
          case jsonl -> InputFormat.JSONL;
          case parquet -> InputFormat.PARQUET;
          case code -> InputFormat.CODE_FILE;
        };
    IngestJob.Options options =
        new IngestJob.Options(
            inputs,
            output,
            forced,
            source,
            new ReadLimits(maxRecordBytes),
            force,
            s3.config(),
            failOnEmpty);
    try (SparkSession spark = SparkSessions.create("sluice-ingest", options.storage())) {
      IngestSummary summary = new IngestJob(spark).run(options, System.err);
      System.out.print(summary.table());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new IngestCommand(), args));
  }
}
