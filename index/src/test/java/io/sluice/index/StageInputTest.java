package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.doc.Document;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index job on a Sluice documents stage (Parquet partitioned by kind and lang): web text in two
 * languages and code, language-specific analyzers, filters, and the empty document it counts.
 */
class StageInputTest {

  private static SparkSession spark;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("index-stage-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  private static Document doc(String id, String text, String kind, String lang, String path) {
    return new Document(id, text, kind, lang, 1f, "test", null, path, null, null, null);
  }

  @Test
  void indexesAStageWithLanguagesAndCodeAndFiltersThem() throws Exception {
    String river = "The mill stood by the river and ground the grain of the valley. ".repeat(60);
    String code =
        "import os\n\n"
            + "def read_config(path):\n    return open(path).read()\n\n".repeat(1)
            + "def parse_tokens(text):\n    return text.split()\n";
    List<Document> docs =
        List.of(
            doc("en-1", river, "web", "en", null),
            doc("en-2", "Tides are caused by the gravity of the moon.", "web", "en", null),
            doc("zh-1", "这条河谷的历史悠久，当地学者对此有详细的记载。", "web", "zh", null),
            doc("py-1", code, "code", "python", "conf.py"),
            doc("empty", "", "web", "en", null));
    String in = dir.resolve("documents").toString();
    spark
        .createDataFrame(docs.stream().map(DocumentSchema::toRow).toList(), DocumentSchema.DOCUMENT)
        .write()
        .partitionBy("kind", "lang")
        .parquet(in);
    Path out = dir.resolve("index");
    IndexJob.Summary s =
        new IndexJob(spark)
            .run(IndexJob.Options.builder(in, out.toString()).dense(DenseType.NONE).build(), null);
    assertEquals(4L, s.stats().get("documents"));
    assertEquals(1L, s.stats().get("skipped_no_id_or_text"));
    assertEquals(6L, s.stats().get("passages"), "the 720-word text is 3 passages, others 1");
    IndexManifest m = IndexManifest.read(out);
    assertEquals(List.of("cjk", "code", "en"), m.bm25().analyzers());

    try (Retriever r = Retriever.open(out)) {
      List<Hit> zh = r.search(SearchRequest.of("河谷历史", 5, SearchMode.BM25));
      assertEquals("zh-1", zh.get(0).docId());
      assertEquals("zh", zh.get(0).metadata().get("lang"));
      List<Hit> tide = r.search(SearchRequest.of("what causes the tides", 5, SearchMode.BM25));
      assertEquals("en-2", tide.get(0).docId(), "Porter stemming: tides ~ tide");
      List<Hit> fn =
          r.search(
              SearchRequest.of("parse_tokens", 5, SearchMode.BM25).withFilter(null, "code", null));
      assertEquals(1, fn.size());
      assertEquals("py-1", fn.get(0).docId());
      assertEquals("conf.py", fn.get(0).metadata().get("path"));
      assertTrue(
          r.search(SearchRequest.of("mill river", 5, SearchMode.BM25).withFilter("zh", null, null))
              .isEmpty());
      List<Hit> mill = r.search(SearchRequest.of("mill river grain", 10, SearchMode.BM25));
      assertEquals(3, mill.size(), "three passages of en-1");
      assertEquals(1, Retriever.byDocument(mill, 10).size());
    }
  }
}
