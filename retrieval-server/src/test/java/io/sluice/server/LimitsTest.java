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

  /**
   * A request at the documented maxima can be answered: a batch's hits are bounded as a whole
   * (256 queries at k = 1,000 are refused, 10 at k = 1,000 are answered within the default
   * timeout), and a batch that runs past its deadline stops and frees its thread.
   */
  @Test
  void everyRequestWithinTheLimitsIsAnsweredAndTimedOutWorkStops(TestIndex idx) throws Exception {
    try (SearchServer server =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      server.load(idx.dir.toString());
      Http http = new Http(server.port());
      StringBuilder all = new StringBuilder("{\"k\": 1000, \"mode\": \"bm25\", \"queries\": [");
      for (int i = 0; i < 256; i++) {
        all.append(i == 0 ? "" : ", ").append("\"white matter ").append(i).append('"');
      }
      Http.Response refused = http.post("/v1/search", all.append("]}").toString());
      assertEquals(400, refused.status(), refused.body());
      assertEquals("too_many_hits", refused.code());
      assertTrue(refused.body().contains("256000 hits"), refused.body());

      StringBuilder ten =
          new StringBuilder("{\"k\": 1000, \"mode\": \"hybrid\", \"queries\": [");
      for (int i = 0; i < 10; i++) {
        ten.append(i == 0 ? "" : ", ").append("\"diffusion tensor imaging ").append(i).append('"');
      }
      Http.Response answered = http.post("/v1/search", ten.append("]}").toString());
      assertEquals(200, answered.status(), answered.body());
      assertEquals(10, answered.json().path("results").size());
    }

    // One search thread, a deadline of 500 ms and a batch of 2,000 BM25 queries that each match
    // most of the 200 documents (some 400,000 hits: seconds of stored-text reads): the batch gets
    // 504 and stops, so the small query behind it is answered in time; had the batch run on, the
    // small query would wait for it and get 504 too.
    ServerConfig tight =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .searchThreads(1)
            .maxBatch(2_000)
            .maxHits(2_000_000)
            .timeout(Duration.ofMillis(500))
            .build();
    try (SearchServer server = SearchServer.start(tight)) {
      server.load(idx.dir.toString());
      Http http = new Http(server.port());
      StringBuilder batch = new StringBuilder("{\"k\": 1000, \"mode\": \"bm25\", \"queries\": [");
      for (int i = 0; i < 2_000; i++) {
        batch.append(i == 0 ? "" : ", ").append("\"cells patients study results ").append(i).append('"');
      }
      String body = batch.append("]}").toString();
      for (int round = 0; round < 3; round++) {
        Http.Response late = http.post("/v1/search", body);
        assertEquals(504, late.status(), late.body());
        long t0 = System.nanoTime();
        Http.Response small =
            http.post("/v1/search", "{\"query\": \"white matter\", \"k\": 3, \"mode\": \"bm25\"}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, small.status(), "round " + round + " after " + ms + " ms: " + small.body());
      }
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
