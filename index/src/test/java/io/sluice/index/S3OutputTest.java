package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.S3Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.storage.StorageEntry;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index job reading from and writing to S3 (a real S3-compatible server, S3Proxy, on loopback):
 * the committed prefix holds every file its manifest lists, a copy of it opens and searches (BM25
 * and FAISS), no temporary prefix is left, and a second run is a no-op.
 */
class S3OutputTest {

  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("index-s3-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  @Test
  void indexesFromAndToS3AndTheCommittedCopySearches() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start();
        S3Storage storage = new S3Storage(s3.config())) {
      s3.createBucket(storage.client(), "lake");
      String corpus =
          String.join(
              "\n",
              "{\"_id\": \"tides\", \"title\": \"Tides\", \"text\": \"Tides are caused by the"
                  + " gravity of the moon and the sun pulling on the oceans.\"}",
              "{\"_id\": \"mill\", \"title\": \"Mill\", \"text\": \"The mill stood by the river"
                  + " and ground the grain of the valley.\"}",
              "{\"_id\": \"bread\", \"title\": \"Bread\", \"text\": \"Bread is baked from flour,"
                  + " water, salt and yeast.\"}",
              "{\"_id\": \"stars\", \"title\": \"Stars\", \"text\": \"Stars shine because"
                  + " nuclear fusion in their cores turns hydrogen into helium.\"}",
              "{\"_id\": \"rain\", \"title\": \"Rain\", \"text\": \"Rain falls when water"
                  + " droplets in clouds grow too heavy to stay aloft.\"}");
      try (OutputStream o = storage.create("s3://lake/beir/corpus.jsonl")) {
        o.write(corpus.getBytes(StandardCharsets.UTF_8));
      }
      IndexJob.Options options =
          IndexJob.Options.builder("s3://lake/beir/corpus.jsonl", "s3://lake/index")
              .dense(DenseType.FLAT)
              .docTower(TowerConfig.ALL_MINILM_L6_V2)
              .shards(2)
              .threads(1)
              .storage(s3.config())
              .build();
      IndexJob.Summary s = new IndexJob(spark).run(options, null);
      assertFalse(s.alreadyCommitted());
      assertEquals("s3a://lake/index", s.output());
      assertEquals(5L, s.stats().get("passages"));

      List<StorageEntry> all = storage.list("s3://lake/");
      assertTrue(
          all.stream().noneMatch(e -> e.path().contains(".index.tmp-")),
          "temporary prefix left behind: " + all);
      assertTrue(storage.exists("s3://lake/index/_SUCCESS"));

      // Fetch the committed prefix as the retrieval server does (the manifest, then every file it
      // lists); opening verifies each file's size and sha256 against the manifest.
      Path local = Files.createDirectories(tmp.resolve("index"));
      try (InputStream in = storage.open("s3://lake/index/manifest.json")) {
        Files.copy(in, local.resolve("manifest.json"));
      }
      Set<String> listed = new HashSet<>(List.of("manifest.json", "stats.json", "run.json"));
      listed.add("_SUCCESS");
      for (IndexManifest.FileEntry f : IndexManifest.read(local).files()) {
        listed.add(f.path());
        Path dst = local.resolve(f.path());
        Files.createDirectories(dst.getParent());
        try (InputStream in = storage.open("s3://lake/index/" + f.path())) {
          Files.copy(in, dst);
        }
      }
      for (StorageEntry e : storage.list("s3://lake/index/")) {
        String rel = e.path().substring("s3://lake/index/".length());
        assertTrue(rel.endsWith("/") || listed.contains(rel), "not in the manifest: " + e.path());
      }
      IndexManifest m = IndexManifest.read(local);
      assertEquals(2, m.shards().size());
      assertTrue(
          m.files().stream().anyMatch(f -> f.path().endsWith("/dense.faiss")),
          m.files().toString());
      try (Retriever r = Retriever.open(local)) {
        assertEquals(
            "tides",
            r.search(SearchRequest.of("what causes tides", 3, SearchMode.BM25)).get(0).docId());
        assertEquals(
            "stars",
            r.search(SearchRequest.of("why do stars shine", 3, SearchMode.DENSE)).get(0).docId());
      }

      assertTrue(new IndexJob(spark).run(options, null).alreadyCommitted());
    }
  }
}
