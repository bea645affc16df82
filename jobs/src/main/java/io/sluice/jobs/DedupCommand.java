package io.sluice.jobs;

import io.sluice.core.spark.SparkProgress;
import io.sluice.core.spark.SparkSessions;
import io.sluice.dedup.DedupJob;
import io.sluice.dedup.DedupSummary;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice dedup}: exact and MinHash-LSH near-duplicate removal. Also a spark-submit main
 * class.
 */
@Command(
    name = "dedup",
    mixinStandardHelpOptions = true,
    description =
        "Remove exact and near duplicates (MinHash LSH, distributed connected components); removed"
            + " ids go to DIR/removed.")
public final class DedupCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR|F.jsonl[.gz]",
      description =
          "a documents or scored stage output, or JSONL with id and text (kind, lang optional)")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR")
  String output;

  @Option(
      names = "--threshold",
      defaultValue = "0.7",
      description = "estimated Jaccard a candidate pair needs to merge (default: ${DEFAULT-VALUE})")
  double threshold;

  @Option(
      names = "--bands",
      defaultValue = "14",
      description = "LSH bands (default: ${DEFAULT-VALUE})")
  int bands;

  @Option(
      names = "--rows",
      defaultValue = "8",
      description = "rows per band (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--shingle",
      defaultValue = "5",
      description = "shingle size in words/tokens (default: ${DEFAULT-VALUE})")
  int shingle;

  @Option(
      names = "--per-source",
      description = "deduplicate within each source only (default: globally)")
  boolean perSource;

  @Option(
      names = "--bucket-cap",
      defaultValue = "1000",
      description =
          "largest LSH bucket expanded pairwise; larger ones are linked as a star and reported"
              + " (default: ${DEFAULT-VALUE})")
  int bucketCap;

  @Option(names = "--force", description = "redo the stage even if its output is committed")
  boolean force;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    DedupJob.Options options =
        DedupJob.Options.builder(input, output)
            .threshold(threshold)
            .bands(bands, rows)
            .shingleSize(shingle)
            .perSource(perSource)
            .bucketCap(bucketCap)
            .force(force)
            .storage(s3.config())
            .build();
    try (SparkSession spark = SparkSessions.create("sluice-dedup", options.storage())) {
      DedupSummary summary;
      try (SparkProgress progress = SparkProgress.start(spark, "dedup", System.err)) {
        summary = new DedupJob(spark).run(options);
      }
      System.out.print(summary.table());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new DedupCommand(), args));
  }
}
