package io.sluice.filtering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.doc.Document;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.filtering.rules.RuleSet;
import io.sluice.filtering.signals.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter Spark job on local[2]: rules, removal table, buckets, report, and degenerate
 * documents.
 */
class FilterJobTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("filter-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  private static Document doc(String id, String text, String kind, String lang) {
    return new Document(id, text, kind, lang, 1f, "test", null, null, null, null, null);
  }

  private static String prose(int i) {
    return "Paragraph "
        + i
        + " explains how the river valley was settled by farmers who built houses near the water.\n"
        + "They traded grain with the neighbouring towns and kept careful records of every harvest"
        + " and market.\n"
        + "Over the years the village grew, and a school, a church and a mill were built along the"
        + " main road.\n"
        + "Today visitors walk along the old towpath and learn about the families who first lived"
        + " there "
        + i
        + ".\n"
        + "The museum keeps letters, maps and tools that show how the valley changed over three"
        + " centuries.\n"
        + "Local historians still study these records to understand the trade routes of the"
        + " region.";
  }

  @Test
  void scoresBucketsAndExplainsEveryRemoval() throws Exception {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      docs.add(doc("good-" + i, prose(i), "web", "en"));
    }
    docs.add(doc("spam", "buy cheap pills now\n".repeat(50), "web", "en"));
    docs.add(doc("empty", "", "web", "en"));
    docs.add(doc("one-line", "word ".repeat(2_000_000), "web", "en"));
    docs.add(doc("mixed", "Hello мир 世界 مرحبا ".repeat(30), "web", "und"));
    docs.add(
        doc(
            "code-ok",
            "// Adds one.\nfunction inc(x) {\n  return x + 1;\n}\n",
            "code",
            "javascript"));
    docs.add(doc("code-min", "var a=function(b){return b*2};".repeat(100), "code", "javascript"));
    List<Row> rows = docs.stream().map(DocumentSchema::toRow).toList();
    String in = dir.resolve("documents").toString();
    spark
        .createDataFrame(rows, DocumentSchema.DOCUMENT)
        .write()
        .partitionBy("kind", "lang")
        .parquet(in);

    String out = dir.resolve("scored").toString();
    FilterSummary summary =
        new FilterJob(spark)
            .run(new FilterJob.Options(in, out, null, null, 4, false, StorageConfig.defaults()));
    assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
    assertTrue(Files.exists(Path.of(out, "report.html")));
    JsonNode stats = new ObjectMapper().readTree(Path.of(out, "stats.json").toFile());

    // Every removal is explained by the rules the document fails, recomputed here.
    RuleSet rules = RuleSet.defaults();
    Map<String, Long> expectedByRule = new HashMap<>();
    long expectedRemoved = 0;
    for (Document d : docs) {
      List<String> failed =
          rules.failures(d.kind(), d.lang(), Signals.of(d.text(), d.kind(), d.lang()));
      if (!failed.isEmpty()) {
        expectedRemoved++;
      }
      failed.forEach(r -> expectedByRule.merge(r, 1L, Long::sum));
    }
    assertEquals(expectedRemoved, stats.get("removed_documents").asLong());
    Map<String, Long> byRule = new HashMap<>();
    stats
        .get("removed_by_rule_total")
        .fields()
        .forEachRemaining(e -> byRule.put(e.getKey(), e.getValue().asLong()));
    assertEquals(expectedByRule, byRule);
    assertEquals(docs.size() - expectedRemoved, spark.read().parquet(out).count());
    assertEquals(expectedRemoved, spark.read().parquet(out + "/" + FilterJob.REMOVED).count());
    List<Row> spam =
        spark
            .read()
            .parquet(out + "/" + FilterJob.REMOVED)
            .filter("id = 'spam'")
            .select("quality.failed_rules")
            .collectAsList();
    assertTrue(spam.get(0).getList(0).contains("gopher_dup_line_frac"), spam.toString());
    assertFalse(spark.read().parquet(out).filter("id = 'good-3'").isEmpty(), "clean prose is kept");

    // 40 English documents in 4 quantile buckets of 10 each; bucket 0 has the highest scores.
    List<Row> en =
        spark
            .read()
            .parquet(out)
            .filter("lang = 'en'")
            .groupBy("quality_bucket")
            .count()
            .orderBy("quality_bucket")
            .collectAsList();
    assertEquals(4, en.size());
    for (Row r : en) {
      assertEquals(10, r.getLong(1), en.toString());
    }
    Row best =
        spark
            .read()
            .parquet(out)
            .filter("lang = 'en'")
            .groupBy("quality_bucket")
            .agg(org.apache.spark.sql.functions.min("quality_score"))
            .orderBy("quality_bucket")
            .first();
    Row worst =
        spark
            .read()
            .parquet(out)
            .filter("lang = 'en' and quality_bucket = 3")
            .agg(org.apache.spark.sql.functions.max("quality_score"))
            .first();
    assertTrue(
        best.getDouble(1) >= worst.getDouble(0), "bucket 0 scores are not below bucket 3 scores");
    assertTrue(stats.get("selection").isArray(), stats.get("selection").toString());
    assertEquals(
        1,
        stats.get("undefined_signals").get("stop_words").get("documents").asLong(),
        "the und document");
    assertTrue(summary.table().contains("gopher_min_words"), summary.table());
  }
}
