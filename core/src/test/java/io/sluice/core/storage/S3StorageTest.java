package io.sluice.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link S3Storage} against a real S3-compatible server on loopback. */
class S3StorageTest {

  private static S3ProxyServer server;
  private static S3Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = S3ProxyServer.start();
    storage = new S3Storage(server.config());
    server.createBucket(storage.client(), "bucket");
  }

  @AfterAll
  static void stop() {
    storage.close();
    server.close();
  }

  @Test
  void writesReadsListsAndDeletes() throws IOException {
    byte[] payload = "hello, s3\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = storage.create("s3://bucket/dir/a.txt")) {
      out.write(payload);
      assertFalse(
          storage.exists("s3://bucket/dir/a.txt"), "object must not be visible before close");
    }
    try (OutputStream out = storage.create("s3://bucket/dir/sub/b.txt")) {
      out.write(1);
    }
    try (InputStream in = storage.open("s3://bucket/dir/a.txt")) {
      assertArrayEquals(payload, in.readAllBytes());
    }
    assertEquals(
        List.of(
            new StorageEntry("s3://bucket/dir/a.txt", payload.length),
            new StorageEntry("s3://bucket/dir/sub/b.txt", 1)),
        storage.list("s3://bucket/dir"));
    assertEquals(
        List.of(new StorageEntry("s3://bucket/dir/a.txt", payload.length)),
        storage.list("s3://bucket/dir/a.txt"));
    storage.delete("s3://bucket/dir");
    assertFalse(storage.exists("s3://bucket/dir/a.txt"));
    assertThrows(FileNotFoundException.class, () -> storage.list("s3://bucket/dir"));
  }

  @Test
  void missingObjectNamesThePath() {
    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> storage.open("s3://bucket/nope.txt"));
    assertTrue(e.getMessage().contains("s3://bucket/nope.txt"), e.getMessage());
  }

  @Test
  void unreachableEndpointGivesAClearErrorQuickly() throws IOException {
    int closedPort = S3ProxyServer.freePort();
    StorageConfig dead =
        server
            .config()
            .withEndpoint(URI.create("http://127.0.0.1:" + closedPort), true)
            .withRetries(1, Duration.ofSeconds(10));
    long start = System.nanoTime();
    try (S3Storage s = new S3Storage(dead)) {
      IOException e = assertThrows(IOException.class, () -> s.list("s3://bucket/x"));
      assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
      assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }
    assertTrue((System.nanoTime() - start) / 1e9 < 10, "must fail fast");
  }
}
