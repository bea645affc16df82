package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.testing.SharedData;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduces Anserini's BM25 flat baseline on BEIR SciFact (nDCG@10 0.6789, R@100 0.9253; k1 0.9, b
 * 0.4, title + text, Porter stemming, Lucene's English stop words) through the index job, the
 * retriever and the evaluator: exactly with whole documents as passages, and within ±0.005 with the
 * default 256-word passages collapsed to documents by their best passage.
 */
class SciFactBm25Test {

  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("index-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  @Test
  void wholeDocumentsReproduceAnseriniExactly() throws Exception {
    Map<String, Double> m = evaluate("whole", 100_000);
    assertEquals(0.6789, m.get("ndcg_cut_10"), 0.0005, "nDCG@10 " + m);
    assertEquals(0.9253, m.get("recall_100"), 0.0005, "Recall@100 " + m);
  }

  @Test
  void defaultPassagesStayWithinTolerance() throws Exception {
    Map<String, Double> m = evaluate("passages", PassageSplitter.WORDS);
    assertEquals(0.6789, m.get("ndcg_cut_10"), 0.005, "nDCG@10 " + m);
  }

  private Map<String, Double> evaluate(String name, int passageWords) throws Exception {
    Path scifact = SharedData.file("retrieval/scifact");
    Path out = dir.resolve(name);
    IndexJob.Summary s =
        new IndexJob(spark)
            .run(
                IndexJob.Options.builder(
                        scifact.resolve("corpus.jsonl.gz").toString(), out.toString())
                    .dense(DenseType.NONE)
                    .passageWords(passageWords)
                    .build(),
                null);
    assertEquals(5183L, s.stats().get("documents"));
    Map<String, String> queries = Queries.read(scifact.resolve("queries.jsonl"));
    StringWriter run = new StringWriter();
    try (Retriever r = Retriever.open(out)) {
      List<String> ids = new ArrayList<>(queries.keySet());
      List<List<Hit>> hits =
          r.searchDocuments(
              new ArrayList<>(queries.values()), SearchRequest.of("", 100, SearchMode.BM25), 1000);
      for (int i = 0; i < ids.size(); i++) {
        TrecEval.writeRun(run, ids.get(i), hits.get(i), "bm25");
      }
    }
    Path runFile = Files.writeString(dir.resolve(name + ".trec"), run.toString());
    Map<String, Double> m =
        TrecEval.evaluate(
            TrecEval.readRun(runFile), TrecEval.readQrels(scifact.resolve("qrels/test.tsv")));
    System.out.println("SciFact BM25 (" + name + "): " + m);
    assertEquals(300.0, m.get("queries"));
    return m;
  }
}
