package io.sluice.jobs;

import io.sluice.core.spark.SparkProgress;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.Storage;
import io.sluice.filtering.FilterJob;
import io.sluice.filtering.FilterSummary;
import io.sluice.filtering.rules.RuleSet;
import io.sluice.filtering.score.QualityModel;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice filter}: documents to a committed {@code scored/} stage. Also a spark-submit main
 * class.
 */
@Command(
    name = "filter",
    mixinStandardHelpOptions = true,
    description =
        "Compute quality signals (Gopher, C4, FineWeb, code), apply the rules, score and bucket"
            + " documents.")
public final class FilterCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "a documents stage output (ingest), local or s3://")
  String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR",
      description = "the scored stage output, local or s3://")
  String output;

  @Option(
      names = "--buckets",
      defaultValue = "4",
      description = "quality buckets per kind and language (default: ${DEFAULT-VALUE})")
  int buckets;

  @Option(
      names = "--disable-rules",
      split = ",",
      paramLabel = "a,b",
      description = "rules not to apply (names as in stats.json)")
  List<String> disabled;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description = "a quality model from 'sluice train-quality' (default: the bundled one)")
  String model;

  @Option(names = "--force", description = "redo the stage even if its output is committed")
  boolean force;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    RuleSet rules = RuleSet.defaults();
    if (disabled != null) {
      rules = rules.without(disabled);
    }
    QualityModel quality = null;
    if (model != null) {
      try (Storage storage = Storage.forPath(model, s3.config());
          InputStream in = storage.open(model)) {
        quality = QualityModel.read(in, model);
      }
    }
    FilterJob.Options options =
        new FilterJob.Options(input, output, rules, quality, buckets, force, s3.config());
    try (SparkSession spark = SparkSessions.create("sluice-filter", options.storage())) {
      FilterSummary summary;
      try (SparkProgress progress = SparkProgress.start(spark, "filter", System.err)) {
        summary = new FilterJob(spark).run(options);
      }
      System.out.print(summary.table());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new FilterCommand(), args));
  }
}
