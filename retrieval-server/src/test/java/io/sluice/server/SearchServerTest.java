package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.index.Hit;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The server over a real SciFact index: search in every mode, batches, documents, metrics, and
 * every kind of bad request answered with a 4xx JSON error while the server keeps serving.
 */
@ExtendWith(TestIndex.Resolver.class)
class SearchServerTest {

  private static final String QUERY = "diffusion tensor imaging of white matter in newborns";

  private static SearchServer server;
  private static Http http;
  private static TestIndex index;

  @BeforeAll
  static void start(TestIndex idx) throws Exception {
    index = idx;
    server = SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build());
    http = new Http(server.port());
    server.load(idx.dir.toString());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyModeFindsTheDocumentTheQueryDescribes() throws Exception {
    SearchClient c = new SearchClient(URI.create("http://127.0.0.1:" + server.port()), null);
    for (String mode : List.of("bm25", "dense", "hybrid")) {
      SearchClient.Result r = c.search(QUERY, 5, mode);
      assertEquals(mode, r.mode());
      assertEquals(5, r.hits().size(), mode);
      // SciFact doc 4983 is "Microstructural development of human newborn cerebral white matter
      // assessed in vivo by diffusion tensor magnetic resonance imaging."
      assertEquals("4983", r.hits().get(0).docId(), mode + " " + r.hits());
      assertEquals("en", r.hits().get(0).fields().get("lang"));
      assertTrue(r.hits().get(0).text().length() > 20);
    }
  }

  @Test
  void answersMatchTheRetrieverDirectly() throws Exception {
    try (Retriever r = Retriever.open(index.dir)) {
      for (SearchMode m : SearchMode.values()) {
        List<Hit> want = r.search(SearchRequest.of(QUERY, 10, m));
        JsonNode got =
            http.post(
                    "/v1/search",
                    "{\"query\": \"" + QUERY + "\", \"k\": 10, \"mode\": \"" + m + "\"}")
                .json()
                .path("hits");
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
          assertEquals(want.get(i).passageId(), got.get(i).path("id").asText(), m + " rank " + i);
          assertEquals(want.get(i).score(), got.get(i).path("score").floatValue(), 1e-4);
        }
      }
    }
  }

  @Test
  void concurrentDenseQueriesAreMicroBatchedWithTheSameAnswers() throws Exception {
    SearchClient c = new SearchClient(URI.create("http://127.0.0.1:" + server.port()), null);
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      queries.add("query number " + i + " about cells, proteins and " + QUERY);
    }
    List<SearchClient.Result> alone = new ArrayList<>();
    for (String q : queries) {
      alone.add(c.search(q, 5, "dense"));
    }
    double before = batchCount();
    ExecutorService pool = Executors.newFixedThreadPool(queries.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<SearchClient.Result>> together = new ArrayList<>();
      for (String q : queries) {
        together.add(
            pool.submit(
                () -> {
                  go.await();
                  return c.search(q, 5, "dense");
                }));
      }
      go.countDown();
      for (int i = 0; i < queries.size(); i++) {
        List<String> a = alone.get(i).hits().stream().map(SearchClient.Hit::id).toList();
        List<String> b = together.get(i).get().hits().stream().map(SearchClient.Hit::id).toList();
        assertEquals(a, b, queries.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
    double calls = batchCount() - before;
    assertTrue(calls < queries.size(), "24 concurrent queries took " + calls + " encoder calls");
  }

  @Test
  void aLoneDenseQueryDoesNotWaitForTheBatchWindow() throws Exception {
    ServerConfig c =
        ServerConfig.builder().host("127.0.0.1").port(0).batchWindow(Duration.ofSeconds(5)).build();
    try (SearchServer s = SearchServer.start(c)) {
      s.load(index.dir.toString());
      SearchClient client = new SearchClient(URI.create("http://127.0.0.1:" + s.port()), null);
      client.search(QUERY, 5, "dense"); // warm-up: the first call loads the encoder's code paths
      long t0 = System.nanoTime();
      SearchClient.Result r = client.search(QUERY, 5, "dense");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals("4983", r.hits().get(0).docId());
      assertTrue(seconds < 2.5, "a lone query waited " + seconds + " s of a 5 s window");
    }
  }

  private static double batchCount() throws Exception {
    Matcher m =
        Pattern.compile("(?m)^sluice_server_dense_batch_size_count (\\S+)$")
            .matcher(http.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void batchRequestAnswersEachQueryInOrder() throws Exception {
    JsonNode r =
        http.post(
                "/v1/search",
                "{\"queries\": [\"newborn white matter\", {\"query\": \""
                    + QUERY
                    + "\", \"k\": 2, \"mode\": \"bm25\"}], \"k\": 3, \"mode\": \"dense\"}")
            .json();
    assertEquals(2, r.path("results").size());
    assertEquals(3, r.path("results").get(0).path("hits").size());
    assertEquals(2, r.path("results").get(1).path("hits").size());
    assertTrue(r.path("took_ms").asDouble() > 0);
  }

  @Test
  void filtersNarrowTheHits() throws Exception {
    Http.Response none =
        http.post(
            "/v1/search",
            "{\"query\": \"" + QUERY + "\", \"mode\": \"bm25\", \"filters\": {\"lang\": \"fr\"}}");
    assertEquals(200, none.status());
    assertEquals(0, none.json().path("hits").size());
    Http.Response en =
        http.post(
            "/v1/search",
            "{\"query\": \"" + QUERY + "\", \"mode\": \"dense\", \"filters\": {\"lang\": \"en\"}}");
    assertEquals(10, en.json().path("hits").size());
  }

  @Test
  void documentsAndPassagesByIdAndA404() throws Exception {
    JsonNode doc = http.get("/v1/doc/4983").json();
    assertEquals("4983", doc.path("doc_id").asText());
    assertTrue(doc.path("passages").size() >= 1);
    String passageId = doc.path("passages").get(0).path("id").asText();
    JsonNode passage =
        http.get("/v1/doc/" + URLEncoder.encode(passageId, StandardCharsets.UTF_8)).json();
    assertEquals(passageId, passage.path("id").asText());
    assertEquals("4983", passage.path("doc_id").asText());
    assertTrue(passage.path("text").asText().contains("white matter"));
    Http.Response missing = http.get("/v1/doc/no-such-id");
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.code());
  }

  @Test
  void badRequestsGetClear4xxErrorsAndTheServerKeepsServing() throws Exception {
    String valid = "{\"query\": \"white matter\", \"mode\": \"bm25\"}";
    byte[] notUtf8 = "{\"query\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    byte[] tenMb = new byte[10 << 20];
    Arrays.fill(tenMb, (byte) 'a');
    Object[][] cases = {
      {"{\"query\": \"x\"", 400, "invalid_json"},
      {"not json at all", 400, "invalid_json"},
      {"", 400, "invalid_json"},
      {"[1, 2]", 400, "invalid_request"},
      {"{\"query\": 42}", 400, "invalid_type"},
      {"{\"query\": \"x\", \"k\": \"ten\"}", 400, "invalid_type"},
      {"{\"query\": \"x\", \"k\": 2.5}", 400, "invalid_type"},
      {"{\"query\": \"x\", \"filters\": \"en\"}", 400, "invalid_type"},
      {"{\"query\": \"\"}", 400, "empty_query"},
      {"{\"query\": \"   \"}", 400, "empty_query"},
      {"{\"query\": \"x\", \"k\": 1000000}", 400, "k_out_of_range"},
      {"{\"query\": \"x\", \"k\": 0}", 400, "k_out_of_range"},
      {"{\"query\": \"x\", \"k\": 99999999999999}", 400, "invalid_type"},
      {"{\"query\": \"x\", \"mode\": \"semantic\"}", 400, "unknown_mode"},
      {"{\"query\": \"x\", \"fitlers\": {}}", 400, "unknown_field"},
      {"{\"query\": \"x\", \"query\": \"y\"}", 400, "invalid_json"},
      {"{\"queries\": []}", 400, "empty_batch"},
      {"{\"queries\": [1]}", 400, "invalid_type"},
      {"{\"query\": \"x\", \"queries\": [\"y\"]}", 400, "invalid_request"},
      {"{\"query\": \"" + "x".repeat(5000) + "\"}", 400, "query_too_long"},
      {"{\"queries\": [" + "\"q\",".repeat(300) + "\"q\"]}", 400, "batch_too_large"},
      {notUtf8, 400, "invalid_utf8"},
      {tenMb, 413, "body_too_large"},
    };
    for (Object[] c : cases) {
      byte[] body = c[0] instanceof byte[] b ? b : ((String) c[0]).getBytes(StandardCharsets.UTF_8);
      Http.Response r = http.post("/v1/search", body);
      String what = c[0] instanceof String s ? s.substring(0, Math.min(60, s.length())) : "bytes";
      assertEquals(c[1], r.status(), what + " -> " + r.body());
      assertEquals(c[2], r.code(), what + " -> " + r.body());
      String message = r.json().path("error").path("message").asText();
      assertFalse(message.isBlank(), what);
      assertFalse(r.body().contains("at io.") || r.body().contains("Exception"), r.body());
      assertEquals(200, http.post("/v1/search", valid).status(), "after " + what);
    }
    assertEquals(405, http.get("/v1/search").status());
    assertEquals("method_not_allowed", http.get("/v1/search").code());
    assertEquals("not_found", http.get("/v2/nothing").code());
  }

  @Test
  void healthAndMetricsDescribeTheServedIndex() throws Exception {
    Http.Response h = http.get("/healthz");
    assertEquals(200, h.status());
    assertEquals("ready", h.json().path("status").asText());
    assertEquals(TestIndex.DOCUMENTS, h.json().path("index").path("documents").asInt());
    http.post("/v1/search", "{\"query\": \"white matter\", \"mode\": \"hybrid\"}");
    http.post("/v1/search", "{\"query\": 1}");
    String m = http.get("/metrics").body();
    assertTrue(m.contains("sluice_server_search_seconds_bucket{mode=\"hybrid\""), m);
    assertTrue(m.contains("sluice_server_errors_total{code=\"invalid_type\"}"), m);
    assertTrue(
        m.contains(
            "sluice_server_requests_total{method=\"POST\",route=\"/v1/search\",status=\"200\"}"),
        m);
    assertTrue(m.contains("sluice_server_index_documents " + TestIndex.DOCUMENTS), m);
    assertTrue(m.matches("(?s).*sluice_server_index_bytes [1-9].*"), m);
  }
}
