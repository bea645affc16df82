package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.core.spark.SparkProgress;
import io.sluice.core.spark.SparkSessions;
import io.sluice.tokenization.TokenizeJob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice tokenize}: documents to Arrow token shards ({@code tokens/}). Also a spark-submit
 * main class.
 */
@Command(
    name = "tokenize",
    mixinStandardHelpOptions = true,
    description =
        "Tokenize a documents/scored/deduped stage into Arrow IPC token shards with per-language"
            + " statistics.")
public final class TokenizeCommand implements Callable<Integer> {

  @Option(names = "--input", required = true, paramLabel = "DIR")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR")
  String output;

  @Option(
      names = "--tokenizer",
      required = true,
      paramLabel = "NAME|PATH",
      description =
          "a bundled tokenizer (cl100k_base, o200k_base, llama3, qwen3) or a tokenizer.json path")
  String tokenizer;

  @Option(
      names = "--shard-tokens",
      defaultValue = "134217728",
      description = "tokens per shard, at most (default: ${DEFAULT-VALUE} = 2^27)")
  long shardTokens;

  @Option(names = "--force", description = "redo the stage even if its output is committed")
  boolean force;

  @Mixin S3Options s3;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    TokenizeJob.Options o =
        new TokenizeJob.Options(input, output, tokenizer, shardTokens, force, s3.config());
    try (SparkSession spark = SparkSessions.create("sluice-tokenize", o.storage())) {
      TokenizeJob.Summary s;
      try (SparkProgress progress = SparkProgress.start(spark, "tokenize", System.err)) {
        s = new TokenizeJob(spark).run(o);
      }
      if (s.alreadyCommitted()) {
        System.out.println(
            "tokenize: "
                + s.output()
                + " is already committed; nothing to do (use --force to redo it)");
        return 0;
      }
      TextTable t =
          new TextTable(
              "kind",
              "lang",
              "documents",
              "bytes",
              "tokens",
              "bytes/token",
              "distinct",
              "p50",
              "p90",
              "p99");
      for (Map<String, Object> e : (List<Map<String, Object>>) s.stats().get("by_kind_lang")) {
        t.row(
            e.get("kind"),
            e.get("lang"),
            e.get("documents"),
            e.get("bytes"),
            e.get("tokens"),
            e.get("bytes_per_token"),
            e.get("distinct_tokens_approx"),
            e.get("doc_tokens_p50"),
            e.get("doc_tokens_p90"),
            e.get("doc_tokens_p99"));
      }
      System.out.println(
          "tokenize ("
              + tokenizer
              + "): "
              + s.stats().get("documents")
              + " documents, "
              + s.stats().get("tokens")
              + " tokens in "
              + s.stats().get("elapsed_seconds")
              + " s -> "
              + s.output()
              + "\n");
      System.out.print(t.render());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new TokenizeCommand(), args));
  }
}
