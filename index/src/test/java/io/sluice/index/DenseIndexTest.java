package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.testing.SharedData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense and hybrid search end to end on a SciFact subset (the documents judged for 40 test queries
 * plus 150 others, in two shards, bge-small as document tower), distillation of the query tower on
 * it, and the bad-input errors of the index job and the retriever.
 */
class DenseIndexTest {

  private static SparkSession spark;

  @TempDir static Path dir;

  private static Path index;
  private static Map<String, String> evalQueries;
  private static Map<String, Map<String, Integer>> qrels;
  private static Path queriesFile;

  @BeforeAll
  static void build() throws Exception {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("index-dense-test", StorageConfig.defaults());
    Path scifact = SharedData.file("retrieval/scifact");
    Map<String, Map<String, Integer>> all = TrecEval.readQrels(scifact.resolve("qrels/test.tsv"));
    qrels = new LinkedHashMap<>();
    Set<String> keep = new HashSet<>();
    for (Map.Entry<String, Map<String, Integer>> e : all.entrySet()) {
      if (qrels.size() == 40) {
        break;
      }
      qrels.put(e.getKey(), e.getValue());
      keep.addAll(e.getValue().keySet());
    }
    List<String> lines = new ArrayList<>();
    int others = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(scifact.resolve("corpus.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        String id = line.substring(line.indexOf("\"_id\": \"") + 8);
        id = id.substring(0, id.indexOf('"'));
        if (keep.contains(id) || others++ < 150) {
          lines.add(line);
        }
      }
    }
    Path corpus = Files.write(dir.resolve("corpus.jsonl"), lines);
    Map<String, String> queries = Queries.read(scifact.resolve("queries.jsonl"));
    evalQueries = new LinkedHashMap<>();
    List<String> subset = new ArrayList<>();
    int train = 0;
    for (Map.Entry<String, String> q : queries.entrySet()) {
      if (qrels.containsKey(q.getKey())) {
        evalQueries.put(q.getKey(), q.getValue());
      } else if (train++ >= 120) {
        continue;
      }
      subset.add(
          "{\"_id\": \""
              + q.getKey()
              + "\", \"text\": \""
              + q.getValue().replace("\"", "\\\"")
              + "\"}");
    }
    queriesFile = Files.write(dir.resolve("queries.jsonl"), subset);
    index = dir.resolve("index");
    new IndexJob(spark)
        .run(
            IndexJob.Options.builder(corpus.toString(), index.toString())
                .dense(DenseType.FLAT)
                .shards(2)
                .build(),
            null);
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  private static double ndcg(Retriever r, SearchMode mode) {
    List<String> ids = new ArrayList<>(evalQueries.keySet());
    List<List<Hit>> hits =
        r.searchDocuments(
            new ArrayList<>(evalQueries.values()), SearchRequest.of("", 100, mode), 1000);
    Map<String, List<TrecEval.RunEntry>> run = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      List<TrecEval.RunEntry> l = new ArrayList<>();
      for (Hit h : hits.get(i)) {
        l.add(new TrecEval.RunEntry(h.docId(), h.score()));
      }
      run.put(ids.get(i), l);
    }
    return TrecEval.evaluate(run, qrels).get("ndcg_cut_10");
  }

  @Test
  void denseAndHybridRetrieveTheJudgedDocumentsAcrossShards() throws Exception {
    IndexManifest m = IndexManifest.read(index);
    assertEquals(2, m.shards().size());
    assertEquals(384, m.dense().dim());
    try (Retriever r =
        Retriever.open(index, Retriever.Options.defaults().withQueryTower("teacher"))) {
      double dense = ndcg(r, SearchMode.DENSE);
      double bm25 = ndcg(r, SearchMode.BM25);
      double hybrid = ndcg(r, SearchMode.HYBRID);
      System.out.printf("subset nDCG@10 dense %.4f bm25 %.4f hybrid %.4f%n", dense, bm25, hybrid);
      assertTrue(dense > 0.6, "dense nDCG@10 " + dense);
      assertTrue(hybrid > 0.6, "hybrid nDCG@10 " + hybrid);

      String q = evalQueries.values().iterator().next();
      List<Hit> hits = r.search(SearchRequest.of(q, 20, SearchMode.DENSE));
      assertEquals(20, hits.size());
      Set<String> shardsSeen = new HashSet<>();
      for (int i = 1; i < hits.size(); i++) {
        assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "sorted by score");
      }
      for (Hit h : hits) {
        assertTrue(h.passageId().startsWith(h.docId() + "#"), h.passageId());
        assertNotNull(h.text());
        shardsSeen.add(h.metadata().get("lang"));
      }
      assertEquals(Set.of("en"), shardsSeen);
      assertEquals(
          20,
          r.search(SearchRequest.of(q, 20, SearchMode.HYBRID).withFilter("en", "web", null))
              .size());
      assertTrue(
          r.search(SearchRequest.of(q, 20, SearchMode.DENSE).withFilter("de", null, null))
              .isEmpty());
      assertTrue(
          r.search(SearchRequest.of(q, 20, SearchMode.BM25).withFilter(null, "code", null))
              .isEmpty());
    }
  }

  @Test
  void distilledStudentApproachesTheTeacher() throws Exception {
    Path copy = dir.resolve("distilled");
    copyTree(index, copy);
    Distiller.Report rep =
        Distiller.run(
            copy,
            queriesFile,
            Distiller.Options.defaults()
                .withTraining(0, 200, 1e-3, 15, 1.0, 1.0)
                .withEval(writeQrels()));
    System.out.println("distill subset: " + rep);
    assertEquals(120, rep.trainQueries());
    assertTrue(rep.validationLossAfter() < rep.validationLossBefore() / 2, rep.toString());
    Map<String, Double> before = rep.metrics().get("student-before");
    Map<String, Double> after = rep.metrics().get("student-after");
    assertTrue(
        after.get("ndcg_cut_10") > before.get("ndcg_cut_10") + 0.05,
        "student nDCG@10 before " + before + " after " + after);
    try (Retriever r = Retriever.open(copy)) {
      assertEquals("all-minilm-l6-v2+head", r.queryTowerName());
    }
  }

  @Test
  void staticTowerDistilsCloseToTheTeacher() throws Exception {
    Path copy = dir.resolve("static");
    copyTree(index, copy);
    Distiller.Report rep =
        Distiller.run(
            copy,
            queriesFile,
            Distiller.Options.staticTower()
                .withTraining(0, 3000, 1e-2, 8, 0.0, 1.0)
                .withWholeVocabulary(false)
                .withEval(writeQrels()));
    System.out.println("static distill subset: " + rep);
    assertEquals(120, rep.trainQueries());
    assertTrue(rep.validationLossAfter() < rep.validationLossBefore() / 2, rep.toString());
    double teacher = rep.metrics().get("teacher").get("ndcg_cut_10");
    double student = rep.metrics().get("student-after").get("ndcg_cut_10");
    double hybrid = rep.metrics().get("hybrid-student").get("ndcg_cut_10");
    double bm25 = rep.metrics().get("bm25").get("ndcg_cut_10");
    assertTrue(student > 0.8 * teacher, "static " + student + " vs teacher " + teacher);
    assertTrue(hybrid > bm25, "hybrid with the static tower " + hybrid + " vs bm25 " + bm25);
    try (Retriever r = Retriever.open(copy)) {
      assertEquals("static(bge-small-en-v1.5)", r.queryTowerName());
    }
    IndexManifest m = IndexManifest.read(copy);
    assertTrue(m.queryTower().isStatic());
    Path vectors = copy.resolve(StaticEmbeddings.FILE);
    byte[] b = Files.readAllBytes(vectors);
    b[b.length / 2] ^= 1;
    Files.write(vectors, b);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Retriever.open(copy));
    assertTrue(
        e.getMessage().contains("checksum mismatch")
            && e.getMessage().contains(StaticEmbeddings.FILE),
        e.getMessage());
  }

  private static Path writeQrels() throws Exception {
    List<String> lines = new ArrayList<>(List.of("query-id\tcorpus-id\tscore"));
    qrels.forEach((q, docs) -> docs.forEach((d, rel) -> lines.add(q + "\t" + d + "\t" + rel)));
    return Files.write(dir.resolve("qrels.tsv"), lines);
  }

  @Test
  void dimensionMismatchBetweenTowerAndIndexIsNamed() throws Exception {
    Path copy = dir.resolve("mismatch");
    copyTree(index, copy);
    Path manifest = copy.resolve(IndexManifest.FILE);
    Files.writeString(
        manifest, Files.readString(manifest).replace("\"dim\" : 384", "\"dim\" : 768"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Retriever.open(copy));
    assertTrue(e.getMessage().contains("dimension mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("768"), e.getMessage());
  }

  @Test
  void corruptedIndexFileFailsItsChecksum() throws Exception {
    Path copy = dir.resolve("corrupt");
    copyTree(index, copy);
    Path faiss = copy.resolve("shard-00000/dense.faiss");
    byte[] b = Files.readAllBytes(faiss);
    b[b.length - 1] ^= 1;
    Files.write(faiss, b);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Retriever.open(copy));
    assertTrue(
        e.getMessage().contains("checksum mismatch") && e.getMessage().contains("dense.faiss"),
        e.getMessage());
  }

  @Test
  void badInputsFailClearly() throws Exception {
    Path empty =
        Files.writeString(dir.resolve("empty.jsonl"), "{\"_id\": \"1\", \"text\": \"\"}\n");
    IllegalArgumentException e1 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new IndexJob(spark)
                    .run(
                        IndexJob.Options.builder(empty.toString(), dir.resolve("e").toString())
                            .dense(DenseType.NONE)
                            .build(),
                        null));
    assertTrue(
        e1.getMessage().contains("no documents") && e1.getMessage().contains("empty.jsonl"),
        e1.getMessage());

    Path noText =
        Files.writeString(dir.resolve("notext.jsonl"), "{\"_id\": \"1\", \"body\": \"x\"}\n");
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new IndexJob(spark)
                    .run(
                        IndexJob.Options.builder(noText.toString(), dir.resolve("n").toString())
                            .dense(DenseType.NONE)
                            .build(),
                        null));
    assertTrue(e2.getMessage().contains("'text'"), e2.getMessage());

    Path missingModel = dir.resolve("missing.onnx");
    IllegalArgumentException e3 =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new IndexJob(spark)
                    .run(
                        IndexJob.Options.builder(
                                queriesFile.toString(), dir.resolve("m").toString())
                            .docTower(
                                TowerConfig.of(
                                    missingModel.toString(), queriesFile.toString(), "mean"))
                            .build(),
                        null));
    assertTrue(e3.getMessage().contains("missing.onnx"), e3.getMessage());
    assertFalse(Files.exists(dir.resolve("m")), "nothing committed");

    try (Retriever r = Retriever.open(index)) {
      assertThrows(IllegalArgumentException.class, () -> SearchRequest.of("q", 0, SearchMode.BM25));
      assertTrue(r.hasDense());
    }
    IllegalArgumentException e4 =
        assertThrows(IllegalArgumentException.class, () -> Retriever.open(dir.resolve("nowhere")));
    assertTrue(e4.getMessage().contains("manifest.json"), e4.getMessage());
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
