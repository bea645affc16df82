package io.sluice.jobs;

import io.sluice.tokenization.MegatronExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice export-megatron}: a tokens stage as Megatron-LM's indexed dataset (PREFIX.bin +
 * PREFIX.idx).
 */
@Command(
    name = "export-megatron",
    mixinStandardHelpOptions = true,
    description =
        "Write a tokens stage as Megatron-LM's indexed dataset (PREFIX.bin, PREFIX.idx; int32"
            + " tokens).")
public final class ExportMegatronCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR",
      description = "a tokens stage (sluice tokenize)")
  String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "PREFIX",
      description = "local path prefix")
  Path output;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    if (output.toAbsolutePath().getParent() != null) {
      java.nio.file.Files.createDirectories(output.toAbsolutePath().getParent());
    }
    MegatronExporter.Result r = MegatronExporter.export(input, output, s3.config());
    System.out.printf(
        "export-megatron: %,d documents, %,d tokens -> %s.bin, %s.idx%n",
        r.documents(), r.tokens(), output, output);
    return 0;
  }
}
