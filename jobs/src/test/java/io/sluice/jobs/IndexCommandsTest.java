package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice index → search → eval} on a four-document BEIR corpus (BM25 only), with the run
 * format and the metrics the acceptance checks read, and the errors for bad input.
 */
class IndexCommandsTest {

  @TempDir static Path dir;

  @BeforeAll
  static void local() {
    System.setProperty("spark.master", "local[2]");
  }

  @AfterAll
  static void clear() {
    System.clearProperty("spark.master");
  }

  @Test
  void indexSearchEvalOnABeirCorpus() throws Exception {
    Path corpus =
        Files.write(
            dir.resolve("corpus.jsonl"),
            List.of(
                "{\"_id\": \"d1\", \"title\": \"Tides\", \"text\": \"Tides are caused by the"
                    + " moon.\"}",
                "{\"_id\": \"d2\", \"title\": \"Mills\", \"text\": \"Water mills grind grain.\"}",
                "{\"_id\": \"d3\", \"title\": \"Moon\", \"text\": \"The moon orbits the earth.\"}",
                "{\"_id\": \"d4\", \"title\": \"Bread\", \"text\": \"Bakers turn grain into"
                    + " bread.\"}"));
    Path queries =
        Files.write(
            dir.resolve("queries.jsonl"),
            List.of(
                "{\"_id\": \"q1\", \"text\": \"what causes tides\"}",
                "{\"_id\": \"q2\", \"text\": \"grinding grain\"}"));
    Path qrels =
        Files.write(
            dir.resolve("qrels.tsv"),
            List.of("query-id\tcorpus-id\tscore", "q1\td1\t1", "q2\td2\t2", "q2\td4\t1"));
    Path index = dir.resolve("index");
    CliRun.Result i =
        CliRun.run(
            "index", "--input", corpus.toString(), "--output", index.toString(), "--dense", "none");
    assertEquals(0, i.code(), i.err());
    assertTrue(i.out().contains("passages"), i.out());
    Path run = dir.resolve("run.trec");
    CliRun.Result s =
        CliRun.run(
            "search",
            "--index",
            index.toString(),
            "--queries",
            queries.toString(),
            "--mode",
            "bm25",
            "--k",
            "100",
            "--output",
            run.toString());
    assertEquals(0, s.code(), s.err());
    List<String> lines = Files.readAllLines(run);
    assertTrue(lines.get(0).matches("q1 Q0 d1 1 \\S+ bm25"), lines.get(0));
    CliRun.Result e = CliRun.run("eval", "--run", run.toString(), "--qrels", qrels.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("nDCG@10") && e.out().contains("Recall@100"), e.out());
    assertTrue(e.out().contains("MRR@10"), e.out());
    assertTrue(
        e.out().contains("1.0000"), "both queries find their best document first: " + e.out());

    CliRun.Result dense =
        CliRun.run(
            "search",
            "--index",
            index.toString(),
            "--queries",
            queries.toString(),
            "--mode",
            "dense",
            "--output",
            dir.resolve("d.trec").toString());
    assertEquals(1, dense.code());
    assertTrue(dense.err().contains("no dense part"), dense.err());
    CliRun.Result badQrels =
        CliRun.run("eval", "--run", run.toString(), "--qrels", corpus.toString());
    assertEquals(1, badQrels.code());
    assertTrue(badQrels.err().contains("corpus.jsonl"), badQrels.err());
  }
}
