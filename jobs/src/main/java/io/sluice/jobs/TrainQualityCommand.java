package io.sluice.jobs;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.Storage;
import io.sluice.filtering.score.QualityTrainer;
import io.sluice.filtering.score.TrainingData;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice train-quality}: trains the quality classifier on reference vs random documents. */
@Command(
    name = "train-quality",
    mixinStandardHelpOptions = true,
    description =
        "Train the quality score: reference 'high-quality' documents against random web documents"
            + " (ingest outputs).")
public final class TrainQualityCommand implements Callable<Integer> {

  @Option(
      names = "--positive",
      required = true,
      arity = "1..*",
      paramLabel = "DIR",
      description = "documents of reference quality")
  List<String> positive;

  @Option(
      names = "--negative",
      required = true,
      arity = "1..*",
      paramLabel = "DIR",
      description = "random web documents")
  List<String> negative;

  @Option(
      names = "--max-per-class",
      defaultValue = "20000",
      description = "documents sampled per side (default: ${DEFAULT-VALUE})")
  int maxPerClass;

  @Option(names = "--output", required = true, paramLabel = "model.bin")
  String output;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    QualityTrainer.Result result;
    try (SparkSession spark = SparkSessions.create("sluice-train-quality", s3.config())) {
      result =
          QualityTrainer.defaults()
              .train(TrainingData.load(spark, positive, negative, maxPerClass));
    }
    try (Storage storage = Storage.forPath(output, s3.config());
        OutputStream out = storage.create(output)) {
      result.model().write(out);
    }
    System.out.printf(
        "train-quality: %,d examples trained, %,d held out: accuracy %.3f, ROC AUC %.3f -> %s%n",
        result.trained(), result.heldOut(), result.heldOutAccuracy(), result.heldOutAuc(), output);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new TrainQualityCommand(), args));
  }
}
