package io.sluice.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.core.doc.Document;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.tokenization.TokenizeJob;
import io.sluice.tokenization.Tokenizer;
import io.sluice.tokenization.Tokenizers;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./bench tokenize}: encode throughput per core of Sluice's BPE on 1 and 2 threads beside
 * jtokkit (cl100k, o200k) and Hugging Face tokenizers through DJL (llama3, qwen3), on the same
 * mixed web text and code; then the Spark tokenize job end to end (Parquet documents → Arrow
 * shards).
 */
public final class TokenizeBenchmark {

  private static final int ROUNDS = 3;

  private TokenizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path data = SharedData.root();
    out.println(Report.header(data));
    List<String> docs = new ArrayList<>();
    List<String> pages =
        SharedData.jsonlField(
            data.resolve("web/html-extraction/trafilatura-eval-shared.jsonl.gz"), "html");
    docs.addAll(new Extraction(pages, "").extractAll());
    for (Path f : SharedData.files(data.resolve("code"), "code-*.jsonl.gz")) {
      List<String> t = SharedData.jsonlField(f, "text");
      docs.addAll(t.subList(0, Math.min(60, t.size())));
    }
    long bytes = 0;
    for (String d : docs) {
      bytes += d.getBytes(StandardCharsets.UTF_8).length;
    }
    String notes =
        String.format(
            Locale.ROOT,
            "MB of UTF-8: %d extracted trafilatura pages + 60 files per code language",
            docs.size());
    List<Passes.Result> results = new ArrayList<>();
    Map<String, EncodingType> tiktoken =
        Map.of("cl100k_base", EncodingType.CL100K_BASE, "o200k_base", EncodingType.O200K_BASE);
    Path tmp = Files.createTempDirectory("sluice-bench-tok");
    for (String model : List.of("cl100k_base", "o200k_base", "llama3", "qwen3")) {
      Tokenizer sluice = Tokenizers.byName(model);
      List<Workload> loads = new ArrayList<>();
      String phase = "encode " + model;
      loads.add(
          new Workload(
              phase,
              "Sluice BPE",
              bytes,
              1,
              notes,
              () -> count(docs, t -> sluice.encode(t).length)));
      loads.add(
          new Workload(
              phase, "Sluice BPE, 2 threads", bytes, 2, notes, () -> parallel(docs, sluice)));
      if (tiktoken.containsKey(model)) {
        Encoding enc = Encodings.newDefaultEncodingRegistry().getEncoding(tiktoken.get(model));
        loads.add(
            new Workload(
                phase,
                "jtokkit (anchor)",
                bytes,
                1,
                notes,
                () -> count(docs, t -> enc.encodeOrdinary(t).size())));
      } else {
        Path json = tmp.resolve(model + "-tokenizer.json");
        try (InputStream in =
            new GZIPInputStream(
                TokenizeBenchmark.class.getResourceAsStream(
                    "/io/sluice/tokenization/" + model + "-tokenizer.json.gz"))) {
          Files.copy(in, json);
        }
        HuggingFaceTokenizer hf =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(json)
                .optAddSpecialTokens(false)
                .build();
        loads.add(
            new Workload(
                phase,
                "HF tokenizers via DJL (anchor)",
                bytes,
                1,
                notes,
                () -> count(docs, t -> hf.encode(t).getIds().length)));
      }
      System.err.println("tokenize: " + model);
      results.addAll(Passes.sideBySide(1, ROUNDS, loads));
    }

    System.setProperty("spark.master", "local[2]");
    SparkSession spark = SparkSessions.create("bench-tokenize", StorageConfig.defaults());
    String in = tmp.resolve("documents").toString();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      rows.add(
          DocumentSchema.toRow(
              new Document(
                  "d" + i, docs.get(i), "web", "en", 1f, "bench", null, null, null, null, null)));
    }
    spark.createDataFrame(rows, DocumentSchema.DOCUMENT).repartition(8).write().parquet(in);
    String output = tmp.resolve("tokens").toString();
    Workload job =
        new Workload(
            "tokenize job",
            "TokenizeJob local[2], llama3",
            bytes,
            2,
            "same texts as Parquet documents -> Arrow shards + stats",
            () -> {
              new TokenizeJob(spark)
                  .run(
                      new TokenizeJob.Options(
                          in, output, "llama3", TokenizeJob.SHARD_TOKENS, true, null));
              return docs.size();
            });
    System.err.println("tokenize: Spark job");
    results.addAll(Passes.sideBySide(1, ROUNDS, List.of(job)));
    spark.stop();
    out.println(Report.table(results));
  }

  private static long count(List<String> docs, java.util.function.ToIntFunction<String> f) {
    long n = 0;
    for (String d : docs) {
      n += f.applyAsInt(d);
    }
    Passes.consume(n);
    return docs.size();
  }

  private static long parallel(List<String> docs, Tokenizer t) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      long n =
          pool.submit(() -> docs.parallelStream().mapToLong(d -> t.encode(d).length).sum()).get();
      Passes.consume(n);
    } finally {
      pool.shutdown();
    }
    return docs.size();
  }
}
