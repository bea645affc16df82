package io.sluice.feeder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.S3Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad tickets, corrupt and missing shards, vanishing clients, slow clients, and S3 releases. */
class FeederFaultsTest {
  @TempDir Path dir;

  private FeederServer serve(Path tokens) throws IOException {
    return FeederServer.start(
        FeederServer.Options.of(tokens.toString(), 0)
            .withHost("127.0.0.1")
            .withCache(dir.resolve("cache"), 1L << 30));
  }

  private Path tokens(int docs) throws IOException {
    Path t = dir.resolve("tokens");
    TokenShards.write(t, TokenShards.documents(docs, 200, 4, 11), 2);
    return t;
  }

  private static FeedRequest request(int seqLen, Layout layout, int sp, long steps) {
    return new FeedRequest(seqLen, layout, 0, 1, 0, sp, FeedState.start(1), steps, null);
  }

  private static List<FeedBatch> read(FeederClient c, FeedRequest r) throws Exception {
    List<FeedBatch> out = new ArrayList<>();
    try (BatchStream s = c.stream(r)) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void impossibleRequestsAreRefusedWithTheReason() {
    var e = assertThrows(IllegalArgumentException.class, () -> request(100, Layout.ZIGZAG, 8, 1));
    assertTrue(e.getMessage().contains("2·sp_size = 16"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new FeedRequest(64, Layout.CONTIGUOUS, 2, 2, 0, 1, FeedState.start(0), 1, null));
    assertTrue(e.getMessage().contains("dp_rank must be in [0, dp_size = 2)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeedRequest.fromTicket("{\"seq_len\": 2097152}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("seq_len must be in [1, 1048576]"), e.getMessage());
  }

  @Test
  void theServerRefusesBadTicketsFromAnyFlightClient() throws Exception {
    try (FeederServer server = serve(tokens(50));
        RootAllocator allocator = new RootAllocator();
        FlightClient raw =
            FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", server.port()))
                .build()) {
      for (String[] c :
          new String[][] {
            {"not json", "ticket is not JSON"},
            {"{\"seq_len\": 96, \"layout\": \"zigzag\", \"sp_size\": 5}", "2·sp_size = 10"},
            {"{\"seq_len\": 64, \"dp_rank\": 3, \"dp_size\": 2}", "dp_rank must be in"},
            {"{\"seq_len\": 64, \"layout\": \"spiral\"}", "unknown layout 'spiral'"},
            {"{\"seq_len\": 64, \"release\": \"other\"}", "release 'other' is not the one served"},
            {"{\"seq_len\": 64, \"state\": {\"seed\": 1, \"epoch\": -1, \"sequence\": 0}}", "epoch"},
            {"{\"seq_len\": 64, \"dp_szie\": 2}", "unknown field 'dp_szie'"},
            {"{\"seq_len\": 64, \"state\": {\"seed\": 1, \"epoch\": 0, \"seq\": 0}}", "unknown field 'seq'"},
            // probed: these used to keep a core busy for ever after the client had gone
            {
              "{\"seq_len\":4096,\"state\":{\"seed\":1,\"epoch\":0,\"sequence\":9223372036854775807}}",
              "is past the end of pass 0"
            },
            {
              "{\"seq_len\":4096,\"dp_size\":2147483647,\"dp_rank\":2147483646,\"steps\":1}",
              "the release is too small for this dp_size"
            }
          }) {
        FlightRuntimeException e =
            assertThrows(
                FlightRuntimeException.class,
                () -> {
                  try (FlightStream s =
                      raw.getStream(new Ticket(c[0].getBytes(StandardCharsets.UTF_8)))) {
                    while (s.next()) {}
                  }
                });
        assertEquals(FlightStatusCode.INVALID_ARGUMENT, e.status().code(), c[0]);
        assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
      }
      try (FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
        assertEquals(3, read(client, request(64, Layout.CONTIGUOUS, 1, 3)).size());
      }
    }
  }

  @Test
  void aMixtureWhosePassCannotBePlannedIsRefusedAtStart() throws Exception {
    Path tokens = tokens(50);
    Path mixture = dir.resolve("mixture.json");
    Files.writeString(
        mixture,
        "{\"buckets\": [{\"bucket\": 0, \"epochs\": 1.0}, {\"bucket\": 2, \"epochs\": 7.0e6}]}");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                FeederServer.start(
                    FeederServer.Options.of(tokens.toString(), 0)
                        .withHost("127.0.0.1")
                        .withMixture(mixture.toString())));
    assertTrue(e.getMessage().contains("over the feeder's limit of 67,108,864"), e.getMessage());
    assertTrue(e.getMessage().contains("bucket 2: 7000000.0 epochs"), e.getMessage());
  }

  @Test
  void withKeysOnlyAClientHoldingOneIsServed() throws Exception {
    Path tokens = tokens(50);
    try (FeederServer server =
        FeederServer.start(
            FeederServer.Options.of(tokens.toString(), 0)
                .withApiKeys(io.sluice.core.auth.ApiKeys.of(List.of("k-one", "k-two"))))) {
      for (String key : new String[] {null, "k-three"}) {
        try (FeederClient c =
            FeederClient.connect("127.0.0.1", server.port(), key, Duration.ofSeconds(30))) {
          FlightRuntimeException e =
              assertThrows(
                  FlightRuntimeException.class,
                  () -> read(c, request(64, Layout.CONTIGUOUS, 1, 1)));
          assertEquals(FlightStatusCode.UNAUTHENTICATED, e.status().code(), String.valueOf(key));
          assertTrue(
              e.getMessage().contains(key == null ? "needs a key" : "not accepted"),
              e.getMessage());
        }
      }
      try (FeederClient c =
          FeederClient.connect("127.0.0.1", server.port(), "k-two", Duration.ofSeconds(30))) {
        assertEquals(2, read(c, request(64, Layout.CONTIGUOUS, 1, 2)).size());
      }
    }
  }

  @Test
  void aStreamFromAFeederThatNeverAnswersTimesOutNamingItAndTheState() throws Exception {
    try (java.net.ServerSocket silent =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                List<java.net.Socket> held = new ArrayList<>();
                try {
                  while (true) {
                    held.add(silent.accept()); // accept and never answer
                  }
                } catch (IOException e) {
                  // closed by the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      long t0 = System.nanoTime();
      try (FeederClient c =
          FeederClient.connect("127.0.0.1", silent.getLocalPort(), null, Duration.ofSeconds(1))) {
        IllegalStateException e =
            assertThrows(
                IllegalStateException.class, () -> read(c, request(64, Layout.CONTIGUOUS, 1, 1)));
        assertTrue(
            e.getMessage().contains("no batch from the feeder at grpc://127.0.0.1:"),
            e.getMessage());
        assertTrue(e.getMessage().contains("\"sequence\":0"), e.getMessage());
      }
      assertTrue((System.nanoTime() - t0) / 1e9 < 20, "gave up in about the timeout");
    }
  }

  @Test
  void healthAndPrometheusMetricsAreServedOverHttp() throws Exception {
    try (FeederServer server =
            FeederServer.start(
                FeederServer.Options.of(tokens(40).toString(), 0)
                    .withHost("127.0.0.1")
                    .withMetricsPort(0));
        FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.metricsPort();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
              BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      read(client, request(64, Layout.CONTIGUOUS, 1, 3));
      String metrics =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                  BodyHandlers.ofString())
              .body();
      assertTrue(metrics.contains("sluice_feeder_batches_sent_total 3.0"), metrics);
      assertTrue(metrics.contains("sluice_feeder_tokens_sent_total 192.0"), metrics);
      assertTrue(metrics.contains("sluice_feeder_documents 40.0"), metrics);
    }
  }

  @Test
  void aCorruptShardFailsTheStreamNamingItAndTheServerStaysUp() throws Exception {
    Path t = tokens(60);
    Path shard = t.resolve("shard-00001-0000.arrow");
    try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
      long at = f.length() / 2; // inside the token data; the footer stays readable
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x55);
    }
    try (FeederServer server = serve(t);
        FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
      for (int attempt = 0; attempt < 2; attempt++) {
        FlightRuntimeException e =
            assertThrows(
                FlightRuntimeException.class,
                () -> read(client, request(64, Layout.CONTIGUOUS, 1, 0)));
        assertTrue(e.getMessage().contains("shard-00001-0000.arrow is corrupt"), e.getMessage());
        assertEquals(CallStatus.INTERNAL.code(), e.status().code());
      }
      assertTrue(server.stats().errors() >= 2);
    }
  }

  @Test
  void aClientThatGoesAwayEndsItsStreamAndASlowOneIsNotBufferedFor() throws Exception {
    try (FeederServer server = serve(tokens(300));
        FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
      int seq = 1 << 16; // 768 KiB per batch
      try (BatchStream s = client.stream(request(seq, Layout.CONTIGUOUS, 1, 0))) {
        s.next();
        // What is in flight sits in gRPC's windows and the sockets, not in the server: once they
        // are full the server waits instead of producing more.
        long sent = awaitSteady(() -> server.stats().batches());
        assertTrue(sent * 3L * 4 * seq < 64 << 20, "in flight: " + sent + " batches");
        s.next();
      }
      long deadline = System.currentTimeMillis() + 10_000;
      while (server.stats().active() > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, server.stats().active(), "the cancelled stream's thread ended");
      assertEquals(2, read(client, request(64, Layout.CONTIGUOUS, 1, 2)).size());
    }
  }

  @Test
  void servesAReleaseFromS3AndRefusesOneWithAMissingShard() throws Exception {
    Path t = tokens(120);
    Path mixture = TokenShards.mixture(dir.resolve("mixture.json"), Map.of(0, 2.0, 1, 1.0, 2, 0.5));
    List<FeedBatch> local;
    try (FeederServer server =
            FeederServer.start(
                FeederServer.Options.of(t.toString(), 0)
                    .withHost("127.0.0.1")
                    .withMixture(mixture.toString()));
        FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
      local = read(client, request(128, Layout.ZIGZAG, 2, 40));
    }
    try (S3ProxyServer s3 = S3ProxyServer.start();
        S3Storage storage = new S3Storage(s3.config())) {
      s3.createBucket(storage.client(), "releases");
      String root = "s3://releases/demo/v1";
      put(storage, root + "/mixture.json", Files.readAllBytes(mixture));
      put(storage, root + "/manifest.json", "{\"files\": []}".getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.list(t)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          put(storage, root + "/tokens/" + f.getFileName(), Files.readAllBytes(f));
        }
      }
      FeederServer.Options opts =
          FeederServer.Options.of(root, 0)
              .withHost("127.0.0.1")
              .withStorage(s3.config())
              .withCache(dir.resolve("s3cache"), 1L << 30);
      try (FeederServer server = FeederServer.start(opts);
          FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
        assertEquals("v1", server.releaseName());
        List<FeedBatch> remote = read(client, request(128, Layout.ZIGZAG, 2, 40));
        for (int i = 0; i < local.size(); i++) {
          assertArrayEquals(local.get(i).inputIds(), remote.get(i).inputIds());
          assertArrayEquals(local.get(i).labels(), remote.get(i).labels());
        }
      }
      storage.delete(root + "/tokens/shard-00001-0000.arrow");
      IOException e = assertThrows(IOException.class, () -> FeederServer.start(opts));
      assertTrue(
          e.getMessage().contains("shard " + root + "/tokens/shard-00001-0000.arrow is missing"),
          e.getMessage());
    }
  }

  /**
   * Waits until {@code value} has not changed for 20 consecutive polls (the server stopped
   * producing); fails if it keeps changing for 30 s.
   */
  private static long awaitSteady(java.util.function.LongSupplier value)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    long last = value.getAsLong();
    int unchanged = 0;
    while (unchanged < 20) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the server kept producing for a stalled client: " + last);
      }
      Thread.sleep(25);
      long now = value.getAsLong();
      unchanged = now == last ? unchanged + 1 : 0;
      last = now;
    }
    return last;
  }

  private static void put(S3Storage storage, String path, byte[] bytes) throws IOException {
    try (OutputStream o = storage.create(path)) {
      o.write(bytes);
    }
  }
}
