package io.sluice.jobs;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.dedup.DedupJob;
import io.sluice.dedup.DedupSummary;
import io.sluice.filtering.FilterJob;
import io.sluice.filtering.FilterSummary;
import io.sluice.ingest.IngestJob;
import io.sluice.ingest.IngestSummary;
import io.sluice.tokenization.TokenizeJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: runs the pipeline, as far as it is built, on the bundled sample in {@code
 * demo/sample} (small, permissively licensed pieces of real data; see its README) and prints where
 * everything is.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run Sluice on the bundled sample (demo/sample) and print what it made.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--sample", defaultValue = "demo/sample", paramLabel = "DIR")
  Path sample;

  @Option(names = "--output", defaultValue = "demo-out", paramLabel = "DIR")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(sample)) {
      throw new IllegalArgumentException(
          "bundled sample not found at "
              + sample.toAbsolutePath()
              + " (run from the repository root)");
    }
    String documents = output.resolve("documents").toString();
    IngestJob.Options ingest =
        new IngestJob.Options(
            List.of(sample.resolve("web").toString(), sample.resolve("code").toString()),
            documents,
            null,
            null,
            null,
            true,
            StorageConfig.defaults());
    String scored = output.resolve("scored").toString();
    String dedupedDir = output.resolve("deduped").toString();
    String tokensDir = output.resolve("tokens").toString();
    try (SparkSession spark = SparkSessions.create("sluice-demo", ingest.storage())) {
      IngestSummary summary = new IngestJob(spark).run(ingest, System.err);
      System.out.print(summary.table());
      System.out.println();
      FilterSummary filtered =
          new FilterJob(spark)
              .run(
                  new FilterJob.Options(
                      documents, scored, null, null, 4, true, StorageConfig.defaults()));
      System.out.print(filtered.table());
      System.out.println();
      DedupSummary deduped =
          new DedupJob(spark).run(DedupJob.Options.builder(scored, dedupedDir).force(true).build());
      System.out.print(deduped.table());
      System.out.println();
      TokenizeJob.Summary tokenized =
          new TokenizeJob(spark)
              .run(
                  new TokenizeJob.Options(
                      dedupedDir, tokensDir, "llama3", TokenizeJob.SHARD_TOKENS, true, null));
      System.out.println(
          "tokenize (llama3): "
              + tokenized.stats().get("documents")
              + " documents, "
              + tokenized.stats().get("tokens")
              + " tokens, "
              + tokenized.stats().get("bytes_per_token")
              + " bytes/token -> "
              + tokenized.output());
    }
    String mixture = output.resolve("mixture.json").toString();
    System.out.println();
    int selected =
        SluiceCli.execute(
            new SelectCommand(),
            new String[] {"--scored", scored, "--token-budget", "1000000000", "--output", mixture});
    if (selected != 0) {
      return selected;
    }
    System.out.println();
    System.out.println("documents:    " + Path.of(documents).toAbsolutePath());
    System.out.println(
        "scored:       " + Path.of(scored).toAbsolutePath() + "  (report.html: loss vs budget)");
    System.out.println(
        "deduped:      "
            + Path.of(dedupedDir).toAbsolutePath()
            + "  (removed/: what went, and why)");
    System.out.println(
        "tokens:       " + Path.of(tokensDir).toAbsolutePath() + "  (Arrow IPC shards + sidecars)");
    System.out.println("mixture:      " + Path.of(mixture).toAbsolutePath());
    System.out.println(
        "look at them: ./sluice show " + documents + " --limit 3 --columns id,kind,lang,url,path");
    System.out.println(
        "              ./sluice show " + scored + "/_removed --limit 3 --columns id,quality");
    return 0;
  }
}
