package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Serving an index from S3 (a real S3-compatible server, S3Proxy): downloaded into the cache,
 * verified, served; a release whose file fails its checksum is refused while the first keeps
 * serving; loading the same release again reuses the cached copy.
 */
@ExtendWith(TestIndex.Resolver.class)
class S3IndexTest {

  @TempDir Path cache;

  @Test
  void servesAnS3ReleaseAndRefusesACorruptOne(TestIndex idx) throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start();
        S3Client client =
            S3Client.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .build()) {
      s3.createBucket(client, "releases");
      String good = "s3://releases/scifact/v1/index";
      String bad = "s3://releases/scifact/v2/index";
      // S3Proxy drops idle pooled connections now and then: allow retries (the default config has
      // 1).
      StorageConfig storage = s3.config().withRetries(3, Duration.ofSeconds(30));
      upload(idx.dir, good, storage);
      upload(idx.corruptCopy("s3-bad"), bad, storage);

      ServerConfig c =
          ServerConfig.builder().host("127.0.0.1").port(0).storage(storage).cacheDir(cache).build();
      try (SearchServer server = SearchServer.start(c)) {
        server.load(good);
        Http http = new Http(server.port());
        Http.Response h = http.get("/healthz");
        assertEquals(200, h.status());
        assertEquals(good, h.json().path("index").path("location").asText());
        Http.Response r = http.post("/v1/search", "{\"query\": \"white matter\", \"k\": 3}");
        assertEquals(3, r.json().path("hits").size(), r.body());

        Http.Response refused = http.post("/admin/reload", "{\"index\": \"" + bad + "\"}");
        assertEquals(422, refused.status(), refused.body());
        assertTrue(refused.body().contains("checksum"), refused.body());
        assertEquals(good, http.get("/healthz").json().path("index").path("location").asText());
        assertEquals(200, http.post("/v1/search", "{\"query\": \"white matter\"}").status());

        assertEquals(200, http.post("/admin/reload", "{\"index\": \"" + good + "\"}").status());
        try (Stream<Path> s = Files.list(cache)) {
          List<Path> dirs = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
          // One copy of the good release (reused), one of the bad (kept, but never served).
          assertEquals(2, dirs.size(), dirs.toString());
        }
      }
    }
  }

  private static void upload(Path dir, String uri, StorageConfig storage) throws Exception {
    try (Storage st = Storage.forPath(uri, storage);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        try (OutputStream out = st.create(uri + "/" + dir.relativize(f))) {
          Files.copy(f, out);
        }
      }
    }
  }
}
