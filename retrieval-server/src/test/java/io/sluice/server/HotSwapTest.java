package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.testing.SharedData;
import io.sluice.index.Queries;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hot swap under load: 60 s of concurrent BM25, dense and hybrid queries while the index is swapped
 * to a new version (in-process), a release with a bad checksum is refused over {@code
 * /admin/reload}, and the server swaps back over HTTP; not one request may fail, and each retired
 * version must be closed once its requests are done. Also: {@code /healthz} before and after load.
 */
@ExtendWith(TestIndex.Resolver.class)
class HotSwapTest {

  private static final long SEED = Long.getLong("tests.seed", System.nanoTime());

  @Test
  void sixtySecondsOfLoadAcrossSwapsWithoutAFailedRequest(TestIndex idx) throws Exception {
    Path v2 = idx.copy("swap-v2");
    Path bad = idx.corruptCopy("swap-bad");
    List<String> queries =
        new ArrayList<>(Queries.read(SharedData.file("retrieval/scifact/queries.jsonl")).values());
    String[] modes = {"bm25", "dense", "hybrid"};
    try (SearchServer server =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      server.load(idx.dir.toString());
      LoadedIndex first = server.current();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong ok = new AtomicLong();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Random rnd = new Random(SEED + t);
        SearchClient c = new SearchClient(base, null);
        Thread th =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    String q = queries.get(rnd.nextInt(queries.size()));
                    String mode = modes[rnd.nextInt(modes.length)];
                    try {
                      if (c.search(q, 10, mode).hits().isEmpty()) {
                        failures.add(mode + " '" + q + "': no hits");
                      } else {
                        ok.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.add(mode + " '" + q + "': " + e);
                    }
                  }
                },
                "load-" + t);
        th.start();
        clients.add(th);
      }
      long start = System.nanoTime();
      sleepUntil(start, 20);
      server.load(v2.toString());
      LoadedIndex second = server.current();
      assertEquals(v2.toString(), second.location());

      sleepUntil(start, 35);
      Http http = new Http(server.port());
      Http.Response refused =
          http.post(
              "/admin/reload", "{\"index\": \"" + bad.toString().replace("\\", "\\\\") + "\"}");
      assertEquals(422, refused.status(), refused.body());
      assertEquals("index_rejected", refused.code());
      assertTrue(refused.body().contains("checksum"), refused.body());
      assertEquals(v2.toString(), server.current().location(), "the old index keeps serving");

      sleepUntil(start, 45);
      Http.Response back = http.post("/admin/reload", "{\"index\": \"" + idx.dir + "\"}");
      assertEquals(200, back.status(), back.body());
      assertEquals(idx.dir.toString(), back.json().path("index").path("location").asText());

      sleepUntil(start, 60);
      stop.set(true);
      for (Thread th : clients) {
        th.join(30_000);
      }
      assertEquals(List.of(), new ArrayList<>(failures), "seed " + SEED);
      assertTrue(ok.get() > 100, "only " + ok.get() + " requests in 60 s");
      assertEquals(0, first.references(), "the first version is closed after its requests");
      assertEquals(0, second.references(), "the second version is closed after its requests");
      assertTrue(first.retriever() != server.current().retriever());
      String metrics = http.get("/metrics").body();
      assertTrue(metrics.contains("sluice_server_reloads_total{result=\"rejected\"} 1.0"), metrics);
      assertTrue(metrics.contains("sluice_server_reloads_total{result=\"ok\"} 3.0"), metrics);
    }
  }

  @Test
  void notReadyBeforeLoadAndABadReleaseNeverServes(TestIndex idx) throws Exception {
    Path bad = idx.corruptCopy("first-bad");
    try (SearchServer server =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      Http http = new Http(server.port());
      Http.Response h = http.get("/healthz");
      assertEquals(503, h.status());
      assertEquals("loading", h.json().path("status").asText());
      Http.Response s = http.post("/v1/search", "{\"query\": \"cells\"}");
      assertEquals(503, s.status());
      assertEquals("not_ready", s.code());

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> server.load(bad.toString()));
      assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
      h = http.get("/healthz");
      assertEquals(503, h.status());
      assertEquals("failed", h.json().path("status").asText());
      assertTrue(h.json().path("error").asText().contains("checksum"), h.body());

      server.load(idx.dir.toString());
      assertEquals(200, http.get("/healthz").status());
      assertEquals(200, http.post("/v1/search", "{\"query\": \"cells\"}").status());
    }
  }

  private static void sleepUntil(long startNanos, int seconds) throws InterruptedException {
    long left = startNanos + seconds * 1_000_000_000L - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
  }
}
