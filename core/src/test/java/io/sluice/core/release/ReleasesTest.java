package io.sluice.core.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.S3Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.testing.FaultyProxy;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publish, list, verify and fetch against a real S3-compatible server, also through faults. */
class ReleasesTest {
  private static S3ProxyServer s3;
  private static S3Storage storage;
  @TempDir static Path source;
  @TempDir Path tmp;
  private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start();
    storage = new S3Storage(s3.config());
    s3.createBucket(storage.client(), "releases");
    // A small pipeline output: stage dirs with stats, a Spark-style part file, and one file big
    // enough to go up as a multipart upload.
    Path tokens = Files.createDirectories(source.resolve("tokens"));
    Files.writeString(
        tokens.resolve("stats.json"),
        "{\"stage\":\"tokenize\",\"tokenizer\":\"llama3\",\"documents\":2,\"tokens\":9}");
    Files.writeString(tokens.resolve("_SUCCESS"), "");
    byte[] big = new byte[(int) (70L << 20)];
    new Random(1).nextBytes(big);
    Files.write(tokens.resolve("shard-00000-0000.arrow"), big);
    Path docs = Files.createDirectories(source.resolve("documents/kind=web/lang=en"));
    Files.writeString(docs.resolve("part-00000.parquet"), "not really parquet, but bytes");
    Files.writeString(
        source.resolve("documents/stats.json"),
        "{\"stage\":\"ingest\",\"inputs\":[\"crawl/\"],\"documents\":2,\"by_kind_lang\":[{\"kind\":\"web\",\"lang\":\"en\",\"documents\":2}]}");
    Files.writeString(
        source.resolve("mixture.json"), "{\"buckets\":[{\"bucket\":0,\"epochs\":2.0}]}");
    Files.createDirectories(source.resolve("documents/.tmp-stage"));
    Files.writeString(source.resolve("documents/.tmp-stage/leftover"), "must not be published");
    Files.writeString(source.resolve("documents/_SUCCESS"), "");
    // What is in the directory but not part of a release: a release fetched into it earlier, a
    // stage that never committed, a user's notes
    Files.createDirectories(source.resolve("releases/corpus/v0/tokens"));
    Files.writeString(source.resolve("releases/corpus/v0/manifest.json"), "{}");
    Files.createDirectories(source.resolve("deduped"));
    Files.writeString(source.resolve("deduped/part-0.parquet"), "uncommitted");
    Files.writeString(source.resolve("notes.txt"), "mine");
  }

  @AfterAll
  static void stop() throws IOException {
    storage.close();
    s3.close();
  }

  private Releases.PublishRequest request(String root, String version) {
    return new Releases.PublishRequest(source, root, "corpus", version, null, "CC-BY-4.0", "test");
  }

  @Test
  void publishListVerifyFetchAndNeverOverwrite() throws Exception {
    Releases releases = new Releases(s3.config(), quiet);
    Releases.Published p = releases.publish(request("s3://releases/main", "v1"));
    assertEquals("s3://releases/main/corpus/v1", p.path());
    assertTrue(p.manifest().files().stream().anyMatch(f -> f.path().equals("README.md")));
    assertFalse(p.manifest().files().stream().anyMatch(f -> f.path().contains(".tmp-stage")));
    assertEquals(
        List.of(
            "README.md",
            "documents/_SUCCESS",
            "documents/kind=web/lang=en/part-00000.parquet",
            "documents/stats.json",
            "mixture.json",
            "tokens/_SUCCESS",
            "tokens/shard-00000-0000.arrow",
            "tokens/stats.json"),
        p.manifest().files().stream().map(f -> f.path()).sorted().toList(),
        "only committed stages and the plan: no earlier release, uncommitted stage or notes");
    assertEquals("llama3", p.manifest().tokenizer());
    assertEquals(2.0, p.manifest().mixture().path("buckets").get(0).path("epochs").asDouble());

    assertEquals(1, releases.list("s3://releases/main").size());
    assertTrue(releases.verify(p.path()).ok());
    assertThrows(
        Releases.ReleaseExistsException.class,
        () -> releases.publish(request("s3://releases/main", "v1")));

    Path fetched = releases.fetch(p.path(), tmp.resolve("local"));
    assertEquals(
        Files.mismatch(
            source.resolve("tokens/shard-00000-0000.arrow"),
            fetched.resolve("tokens/shard-00000-0000.arrow")),
        -1L);
    assertTrue(Files.readString(fetched.resolve("README.md")).contains("CC-BY-4.0"));
    assertTrue(new Releases(StorageConfig.defaults(), quiet).verify(fetched.toString()).ok());

    // Damage one object: verify names it, fetch refuses and leaves nothing behind.
    try (OutputStream o = storage.create(p.path() + "/documents/stats.json")) {
      o.write("{}".getBytes());
    }
    Releases.Verification v = releases.verify(p.path());
    assertFalse(v.ok());
    assertTrue(v.problems().get(0).startsWith("documents/stats.json:"), v.problems().toString());
    IOException e =
        assertThrows(IOException.class, () -> releases.fetch(p.path(), tmp.resolve("again")));
    assertTrue(e.getMessage().contains("documents/stats.json is corrupt"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("again/corpus/v1")));
  }

  @Test
  void aReleaseWithoutManifestIsNotARelease() throws Exception {
    try (OutputStream o = storage.create("s3://releases/partial/corpus/v9/tokens/x.arrow")) {
      o.write(1);
    }
    Releases releases = new Releases(s3.config(), quiet);
    assertTrue(releases.list("s3://releases/partial").isEmpty());
    FileNotFoundException e =
        assertThrows(
            FileNotFoundException.class,
            () -> releases.fetch("s3://releases/partial/corpus/v9", tmp));
    assertTrue(e.getMessage().contains("has no manifest.json"), e.getMessage());
  }

  @Test
  void throughAnUnreliableServerEitherAllIsRightOrItFailsClearly() throws Exception {
    try (FaultyProxy proxy = new FaultyProxy(s3.endpoint(), 0.15, 0.15, 0, 7)) {
      StorageConfig flaky =
          new StorageConfig(
              proxy.endpoint(),
              "us-east-1",
              true,
              S3ProxyServer.ACCESS_KEY,
              S3ProxyServer.SECRET_KEY,
              Duration.ofSeconds(30),
              4);
      Releases releases = new Releases(flaky, quiet);
      Releases direct = new Releases(s3.config(), quiet);
      String release = "s3://releases/flaky/corpus/v1";
      try {
        releases.publish(request("s3://releases/flaky", "v1"));
        assertTrue(direct.verify(release).ok(), "a published release is complete and correct");
      } catch (IOException e) {
        assertTrue(e.getMessage().contains("failed after"), e.getMessage());
        assertFalse(storage.exists(release + "/manifest.json"), "no manifest for a failed publish");
        direct.publish(request("s3://releases/flaky", "v1"));
      }
      try {
        Path got = releases.fetch(release, tmp.resolve("flaky"));
        assertTrue(new Releases(StorageConfig.defaults(), quiet).verify(got.toString()).ok());
      } catch (IOException e) {
        assertTrue(e.getMessage().contains("failed after"), e.getMessage());
        try (Stream<Path> left = Files.list(tmp.resolve("flaky/corpus"))) {
          assertEquals(0, left.count(), "a failed fetch leaves nothing behind");
        }
      }
      assertTrue(proxy.errors.get() + proxy.drops.get() > 0, "faults were injected");
    }
  }
}
