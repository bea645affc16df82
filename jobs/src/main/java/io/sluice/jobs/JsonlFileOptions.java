package io.sluice.jobs;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the line-by-line JSONL tools ({@code extract}, {@code langid}). */
final class JsonlFileOptions {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "F.jsonl[.gz|.zst]",
      description = "input, local or s3://")
  String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "OUT.jsonl",
      description = "output, local or s3://; appears when complete")
  String output;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "worker threads (default: all cores)")
  int threads;

  @Mixin S3Options s3;

  JsonlLineMapper mapper() {
    return new JsonlLineMapper(
        s3.config(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
  }
}
