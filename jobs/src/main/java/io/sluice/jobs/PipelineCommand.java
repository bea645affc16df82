package io.sluice.jobs;

import io.sluice.core.storage.Storage;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice pipeline}: every stage in order, each committed and skipped when already done. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description =
        "Run ingest -> filter -> dedup -> tokenize -> select -> index as pipeline.yaml says; stages"
            + " already committed are skipped, so a re-run resumes after a crash.")
public final class PipelineCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      required = true,
      paramLabel = "F.yaml",
      description = "pipeline config")
  String config;

  @Option(
      names = "--check",
      description = "only validate the config, inputs, output and credentials; run nothing")
  boolean check;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    PipelineConfig c;
    try (Storage s = Storage.forPath(config, s3.config());
        InputStream in = s.open(config)) {
      c = PipelineConfig.read(in, config);
    }
    Pipeline pipeline = new Pipeline(c, s3.config(), System.err);
    if (check) {
      pipeline.preflight();
      System.out.println("pipeline: " + config + " is valid; stages " + c.stages());
      return 0;
    }
    List<Pipeline.StageRun> runs = pipeline.run();
    System.out.println();
    System.out.print(Pipeline.summary(runs));
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new PipelineCommand(), args));
  }
}
