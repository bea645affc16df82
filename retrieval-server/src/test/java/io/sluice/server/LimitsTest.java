package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Configured limits are enforced: search timeout (504), k, batch size, body size. */
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
      // BM25 runs on the request thread and is not cut short; it still answers.
      Http.Response ok =
          http.post("/v1/search", "{\"query\": \"white matter\", \"k\": 5, \"mode\": \"bm25\"}");
      assertEquals(200, ok.status(), ok.body());
      assertEquals(5, ok.json().path("hits").size());
      assertTrue(
          http.get("/metrics").body().contains("sluice_server_errors_total{code=\"timeout\"} 1.0"));
    }
  }
}
