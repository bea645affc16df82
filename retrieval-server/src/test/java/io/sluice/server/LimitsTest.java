package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Configured limits are enforced: search timeout (504, dense and BM25), k, batch size, body size;
 * searches beyond {@code searchThreads} wait their turn and all answer.
 */
@ExtendWith(TestIndex.Resolver.class)
class LimitsTest {

  @Test
  void configuredLimitsAreEnforcedAndTheServerKeepsServing(TestIndex idx) throws Exception {
    ServerConfig c =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .maxK(5)
            .maxBatch(2)
            .maxBodyBytes(200)
            .maxQueryChars(40)
            // Far shorter than any dense search (an encoder call alone takes milliseconds).
            .timeout(Duration.ofNanos(1000))
            .build();
    try (SearchServer server = SearchServer.start(c)) {
      server.load(idx.dir.toString());
      Http http = new Http(server.port());
      Http.Response t =
          http.post("/v1/search", "{\"query\": \"white matter\", \"mode\": \"dense\"}");
      assertEquals(504, t.status(), t.body());
      assertEquals("timeout", t.code());
      assertEquals(
          "k_out_of_range", http.post("/v1/search", "{\"query\": \"x\", \"k\": 6}").code());
      assertEquals(
          "batch_too_large",
          http.post("/v1/search", "{\"queries\": [\"a\", \"b\", \"c\"]}").code());
      assertEquals(
          "query_too_long",
          http.post("/v1/search", "{\"query\": \"" + "y".repeat(41) + "\"}").code());
      Http.Response big = http.post("/v1/search", "{\"query\": \"" + "z".repeat(300) + "\"}");
      assertEquals(413, big.status());
      assertEquals("body_too_large", big.code());
      // BM25 queries wait for a search-pool thread, under the same timeout.
      Http.Response late =
          http.post("/v1/search", "{\"query\": \"white matter\", \"k\": 5, \"mode\": \"bm25\"}");
      assertEquals(504, late.status(), late.body());
      assertTrue(
          http.get("/metrics").body().contains("sluice_server_errors_total{code=\"timeout\"} 2.0"));
      assertEquals(200, http.get("/healthz").status());
    }
  }

  @Test
  void searchesBeyondTheSearchThreadsWaitTheirTurnAndAllAnswer(TestIndex idx) throws Exception {
    ServerConfig c = ServerConfig.builder().host("127.0.0.1").port(0).searchThreads(1).build();
    try (SearchServer server = SearchServer.start(c)) {
      server.load(idx.dir.toString());
      String body = "{\"query\": \"white matter\", \"k\": 5, \"mode\": \"bm25\"}";
      String expected =
          new Http(server.port()).post("/v1/search", body).json().path("hits").toString();
      ExecutorService clients = Executors.newFixedThreadPool(16);
      try {
        List<Future<Http.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          answers.add(clients.submit(() -> new Http(server.port()).post("/v1/search", body)));
        }
        for (Future<Http.Response> a : answers) {
          Http.Response r = a.get();
          assertEquals(200, r.status(), r.body());
          assertEquals(expected, r.json().path("hits").toString());
        }
      } finally {
        clients.shutdownNow();
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> ServerConfig.builder().searchThreads(0).build());
  }
}
