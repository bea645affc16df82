package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.core.spark.SparkSessions;
import io.sluice.index.DenseType;
import io.sluice.index.IndexJob;
import io.sluice.index.TowerConfig;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice index}: documents (a stage output or a BEIR corpus.jsonl) to an index directory —
 * passages, Lucene BM25, and optionally a FAISS dense index. Also a spark-submit main class.
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description =
        "Split documents into passages and build the BM25 (Lucene) and dense (FAISS) indexes.")
public final class IndexCommand implements Callable<Integer> {

  @Option(
      names = "--input",
      required = true,
      paramLabel = "DIR|corpus.jsonl[.gz]",
      description = "a documents stage (documents/, deduped/, …) or a BEIR corpus")
  String input;

  @Option(
      names = "--output",
      required = true,
      paramLabel = "DIR|s3://…",
      description =
          "a local directory or an s3:// prefix (committed with _SUCCESS, as every stage)")
  String output;

  @Option(
      names = "--dense",
      defaultValue = "auto",
      description =
          "none, flat, hnsw, ivfpq, or auto (flat up to 200k passages per shard, hnsw up to 2M,"
              + " then ivfpq) (default: ${DEFAULT-VALUE})")
  String dense;

  @Option(
      names = "--model",
      defaultValue = "bge-small-en-v1.5",
      description =
          "document tower: bge-small-en-v1.5, all-minilm-l6-v2, or a .onnx path (default:"
              + " ${DEFAULT-VALUE})")
  String model;

  @Option(names = "--tokenizer", description = "tokenizer.json of an .onnx --model")
  String tokenizer;

  @Option(names = "--pooling", description = "cls or mean, for an .onnx --model (default: mean)")
  String pooling;

  @Option(names = "--query-prefix", description = "prefix for queries, e.g. 'query: ' (e5)")
  String queryPrefix;

  @Option(names = "--passage-prefix", description = "prefix for passages, e.g. 'passage: ' (e5)")
  String passagePrefix;

  @Option(
      names = "--passage-words",
      defaultValue = "256",
      description = "(default: ${DEFAULT-VALUE})")
  int passageWords;

  @Option(names = "--code-lines", defaultValue = "60", description = "(default: ${DEFAULT-VALUE})")
  int codeLines;

  @Option(
      names = "--lang",
      defaultValue = "en",
      description = "language of documents without one (BEIR) (default: ${DEFAULT-VALUE})")
  String lang;

  @Option(names = "--bm25.k1", defaultValue = "0.9", description = "(default: ${DEFAULT-VALUE})")
  float k1;

  @Option(names = "--bm25.b", defaultValue = "0.4", description = "(default: ${DEFAULT-VALUE})")
  float b;

  @Option(names = "--shards", defaultValue = "0", description = "0 = one per million documents")
  int shards;

  @Option(names = "--batch", defaultValue = "16", description = "encoder batch size")
  int batch;

  @Option(names = "--threads", defaultValue = "0", description = "encoder threads (0 = all cores)")
  int threads;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu, or cuda (needs onnxruntime_gpu and a GPU) (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--force", description = "redo the stage even if its output is committed")
  boolean force;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    TowerConfig tower = TowerConfig.of(model, tokenizer, pooling);
    if (queryPrefix != null || passagePrefix != null) {
      tower =
          tower.withPrefixes(
              queryPrefix == null ? tower.queryPrefix() : queryPrefix,
              passagePrefix == null ? tower.passagePrefix() : passagePrefix);
    }
    IndexJob.Options o =
        IndexJob.Options.builder(input, output)
            .dense(DenseType.parse(dense))
            .docTower(tower)
            .passageWords(passageWords)
            .codeLines(codeLines)
            .lang(lang)
            .bm25(k1, b)
            .shards(shards)
            .batchSize(batch)
            .threads(threads)
            .device(device)
            .force(force)
            .storage(s3.config())
            .build();
    try (SparkSession spark = SparkSessions.create("sluice-index", o.storage())) {
      IndexJob.Summary s = new IndexJob(spark).run(o, System.out);
      if (s.alreadyCommitted()) {
        System.out.println(
            "index: "
                + s.output()
                + " is already committed; nothing to do (use --force to redo it)");
        return 0;
      }
      TextTable t =
          new TextTable(
              "records",
              "skipped",
              "documents",
              "passages",
              "truncated",
              "shards",
              "dense",
              "bytes",
              "seconds");
      var st = s.stats();
      t.row(
          st.get("records"),
          st.get("skipped_no_id_or_text"),
          st.get("documents"),
          st.get("passages"),
          st.get("truncated_passages"),
          st.get("shards"),
          st.get("dense"),
          st.get("bytes"),
          st.get("elapsed_seconds"));
      System.out.println("index: " + input + " -> " + s.output() + "\n");
      System.out.print(t.render());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new IndexCommand(), args));
  }
}
