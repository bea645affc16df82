package io.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.S3Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest Spark job end to end on local[2]: real shared data plus every kind of bad input. */
class IngestJobTest {

  private static SparkSession spark;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("ingest-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(data);
    }
    return b.toByteArray();
  }

  private static Map<String, Long> quarantineReasons(String out) {
    return spark
        .read()
        .parquet(out + "/_quarantine")
        .groupBy("reason")
        .count()
        .collectAsList()
        .stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
  }

  @Test
  void ingestsRealDataAndBadInputWithoutLosingAnything() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.copy(
        SharedData.file("web/warc/CC-MAIN-2020-34-sample.resiliparse-tests.warc.gz"),
        in.resolve("cc.warc.gz"));
    Files.copy(SharedData.file("code/code-c.jsonl.gz"), in.resolve("lua.jsonl.gz"));
    StringBuilder jsonl = new StringBuilder();
    jsonl.append(
        "{\"id\":\"ok-1\",\"text\":\"The quick brown fox jumps over the lazy dog near the river"
            + " bank.\"}\n");
    jsonl.append("not json at all\n");
    jsonl.append("{\"id\":\"empty\",\"text\":\"   \"}\n");
    jsonl.append(
        "{\"id\":\"html-1\",\"html\":\"<html><body><nav>Home | About</nav><article><p>Ein ganz"
            + " normaler Absatz auf Deutsch, der lang genug ist, um als Haupttext erkannt zu"
            + " werden, und noch ein wenig mehr Text enthält.</p></article></body></html>\"}\n");
    String big = "word ".repeat(10 * 1024 * 1024); // a single 50 MB document
    jsonl.append("{\"id\":\"big\",\"text\":\"").append(big).append("\"}\n");
    Files.writeString(in.resolve("mixed.jsonl"), jsonl.toString());
    Files.write(in.resolve("empty.jsonl"), new byte[0]);
    byte[] gz =
        gzip(
            ("{\"id\":\"t1\",\"text\":\"first line survives the truncation of the file\"}\n"
                    + "{\"id\":\"t2\",\"text\":\""
                    + new java.util.Random(7)
                        .ints(20000, 0, 1 << 30)
                        .mapToObj(Integer::toString)
                        .collect(Collectors.joining(" "))
                    + "\"}\n")
                .getBytes(StandardCharsets.UTF_8));
    Files.write(in.resolve("truncated.jsonl.gz"), Arrays.copyOf(gz, gz.length - 200));
    Files.write(
        in.resolve("corrupt.parquet"), "PAR1 this is not parquet".getBytes(StandardCharsets.UTF_8));
    Files.writeString(in.resolve("notes.txt"), "not an input format");

    String out = dir.resolve("documents").toString();
    IngestSummary summary =
        new IngestJob(spark)
            .run(
                new IngestJob.Options(
                    List.of(in.toString()), out, null, null, null, false, StorageConfig.defaults()),
                null);

    assertTrue(Files.exists(Path.of(out, StageOutput.SUCCESS)));
    JsonNode stats = JSON.readTree(Path.of(out, StageOutput.STATS).toFile());
    long docs = spark.read().parquet(out).count();
    assertEquals(docs, stats.get("documents").asLong());
    assertEquals(summary.stats().get("documents"), docs);
    assertEquals(68, stats.get("documents_by_kind").get("code").asLong(), "every lua file");
    assertTrue(stats.get("languages").get("zh").asLong() >= 5, stats.toString());

    Map<String, Long> reasons = quarantineReasons(out);
    assertEquals(1L, reasons.get("invalid_json"));
    assertEquals(
        1,
        spark
            .read()
            .parquet(out + "/_quarantine")
            .filter("reason = 'no_text' and source_file like '%mixed.jsonl'")
            .count(),
        "the blank document");
    assertEquals(1L, reasons.get("truncated_input"));
    assertEquals(1L, reasons.get("read_error"), "corrupt parquet");
    assertEquals(1L, reasons.get("unsupported_format"), "notes.txt");
    long quarantined = reasons.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(quarantined, stats.get("quarantined").asLong());
    assertEquals(1, stats.get("skipped_by_reason").get("empty_file").asInt());

    List<Row> bigRow =
        spark.read().parquet(out).filter("id = 'big'").select("text").collectAsList();
    assertEquals(
        big.strip().length(),
        bigRow.get(0).getString(0).strip().length(),
        "the 50 MB document is kept whole");
    List<Row> t1 = spark.read().parquet(out).filter("id = 't1'").collectAsList();
    assertEquals(1, t1.size(), "records before the truncation are kept");
    Row html =
        spark
            .read()
            .parquet(out)
            .filter("id = 'html-1'")
            .select("text", "lang")
            .collectAsList()
            .get(0);
    assertFalse(html.getString(0).contains("Home | About"), html.getString(0));
    assertEquals("de", html.getString(1));
    assertTrue(Files.isDirectory(Path.of(out, "kind=code", "lang=c")));

    IngestSummary again =
        new IngestJob(spark)
            .run(
                new IngestJob.Options(
                    List.of(in.toString()), out, null, null, null, false, StorageConfig.defaults()),
                null);
    assertTrue(again.alreadyCommitted(), "a committed stage is not redone");
  }

  @Test
  void missingInputIsAClearErrorAndLeavesNoOutput() {
    String out = dir.resolve("documents").toString();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new IngestJob(spark)
                    .run(
                        new IngestJob.Options(
                            List.of(dir.resolve("nope").toString()),
                            out,
                            null,
                            null,
                            null,
                            false,
                            StorageConfig.defaults()),
                        null));
    assertTrue(
        e.getMessage().contains("input does not exist") && e.getMessage().contains("nope"),
        e.getMessage());
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void readsFromAndWritesToS3() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start();
        S3Storage storage = new S3Storage(s3.config())) {
      s3.createBucket(storage.client(), "corpus");
      try (OutputStream o = storage.create("s3://corpus/raw/ccnet.jsonl.gz")) {
        o.write(
            Files.readAllBytes(SharedData.file("web/ccnet/cc_en_head-0091.dolma-tests.jsonl.gz")));
      }
      try (OutputStream o = storage.create("s3://corpus/raw/bad.jsonl")) {
        o.write("{broken\n".getBytes(StandardCharsets.UTF_8));
      }
      IngestSummary summary =
          new IngestJob(spark)
              .run(
                  new IngestJob.Options(
                      List.of("s3://corpus/raw"),
                      "s3://corpus/documents",
                      null,
                      "ccnet",
                      null,
                      false,
                      s3.config()),
                  null);
      assertEquals(10L, summary.stats().get("documents"));
      assertTrue(storage.exists("s3://corpus/documents/_SUCCESS"));
      assertTrue(storage.exists("s3://corpus/documents/stats.json"));
      assertEquals(1L, summary.stats().get("quarantined"));
      org.apache.spark.sql.Dataset<Row> back = spark.read().parquet("s3a://corpus/documents");
      assertEquals(10, back.count(), () -> String.join(",", back.inputFiles()));
      assertEquals(
          10,
          back.filter("source = 'common-crawl' and lang = 'en'").count(),
          () -> back.select("id", "source", "lang", "kind").collectAsList().toString());
    }
  }

  @Test
  void unreachableS3EndpointFailsFastWithAClearError() throws IOException {
    int port = S3ProxyServer.freePort();
    StorageConfig dead =
        new StorageConfig(
            URI.create("http://127.0.0.1:" + port),
            "us-east-1",
            true,
            "k",
            "s",
            Duration.ofSeconds(10),
            1);
    long start = System.nanoTime();
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                new IngestJob(spark)
                    .run(
                        new IngestJob.Options(
                            List.of("s3://nowhere/in"),
                            dir.resolve("out").toString(),
                            null,
                            null,
                            null,
                            false,
                            dead),
                        null));
    String all = e + " " + (e.getCause() == null ? "" : e.getCause().toString());
    assertTrue(all.contains("127.0.0.1:" + port) || all.contains("nowhere"), all);
    assertTrue((System.nanoTime() - start) / 1e9 < 60, "fails fast");
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void idsAreUniquePerStageAndRepeatedOnesAreQuarantined() throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    String para = "This is a perfectly ordinary English sentence about rivers and the sea. ";
    Files.writeString(
        in.resolve("a.jsonl"),
        "{\"id\": \"same\", \"url\": \"https://b.org/\", \"text\": \"" + para + "Second.\"}\n"
            + "{\"id\": \"other\", \"text\": \"" + para + "Other.\"}\n");
    Files.writeString(
        in.resolve("b.jsonl"),
        "{\"id\": \"same\", \"url\": \"https://a.org/\", \"text\": \"" + para + "First.\"}\n");
    String out = dir.resolve("documents").toString();
    new IngestJob(spark)
        .run(
            new IngestJob.Options(
                List.of(in.toString()), out, null, null, null, false, StorageConfig.defaults()),
            null);
    List<Row> docs = spark.read().parquet(out).select("id", "url").orderBy("id").collectAsList();
    assertEquals(2, docs.size(), docs.toString());
    assertEquals("https://a.org/", docs.get(1).getString(1), "the first by url is kept");
    assertEquals(1L, quarantineReasons(out).get("duplicate_id"));
    JsonNode stats = JSON.readTree(Path.of(out, StageOutput.STATS).toFile());
    assertEquals(2, stats.get("documents").asLong());
    assertEquals(1, stats.get("quarantined_by_reason").get("duplicate_id").asLong());
    try (var left = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("documents")), left.filter(p -> !p.equals(in)).toList());
    }
  }

  @Test
  void anInputWithNoDocumentWarnsOrFailsWhenAskedTo() throws IOException {
    Path in = dir.resolve("bad.jsonl");
    Files.writeString(in, "{not json\n{\"id\": 1}\n");
    String out = dir.resolve("documents").toString();
    java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
    new IngestJob(spark)
        .run(
            new IngestJob.Options(
                List.of(in.toString()), out, null, null, null, false, StorageConfig.defaults()),
            new java.io.PrintStream(progress, true, StandardCharsets.UTF_8));
    assertTrue(
        progress.toString(StandardCharsets.UTF_8).contains("warning: ingest: no document came out"),
        progress.toString(StandardCharsets.UTF_8));
    JsonNode stats = JSON.readTree(Path.of(out, StageOutput.STATS).toFile());
    assertEquals(1, stats.get("warnings").size());

    String strict = dir.resolve("strict").toString();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                new IngestJob(spark)
                    .run(
                        new IngestJob.Options(
                            List.of(in.toString()),
                            strict,
                            null,
                            null,
                            null,
                            false,
                            StorageConfig.defaults(),
                            true),
                        null));
    assertTrue(e.getMessage().contains("invalid_json=1"), e.getMessage());
    assertFalse(Files.exists(Path.of(strict)), "nothing committed");
  }
}
