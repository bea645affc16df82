package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.auth.ApiKeys;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** API keys: required on /v1 and /admin when configured, never on health, metrics or the spec. */
@ExtendWith(TestIndex.Resolver.class)
class AuthTest {

  @TempDir Path tmp;

  @Test
  void keysAreRequiredWhenConfigured(TestIndex idx) throws Exception {
    Path keys = tmp.resolve("keys.txt");
    Files.writeString(keys, "# team keys\n\nalpha-key-1\n  beta-key-2  \n");
    ServerConfig c =
        ServerConfig.builder().host("127.0.0.1").port(0).apiKeys(ApiKeys.read(keys)).build();
    try (SearchServer server = SearchServer.start(c)) {
      server.load(idx.dir.toString());
      Http http = new Http(server.port());
      String q = "{\"query\": \"cells\", \"mode\": \"bm25\"}";
      Http.Response none = http.post("/v1/search", q);
      assertEquals(401, none.status());
      assertEquals("unauthorized", none.code());
      assertEquals("Bearer", none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
      Http.Response wrong = http.post("/v1/search", q, "Authorization", "Bearer alpha-key-2");
      assertEquals(401, wrong.status());
      assertFalse(wrong.body().contains("alpha-key-2"), "a presented key is never echoed");
      assertEquals(200, http.post("/v1/search", q, "Authorization", "Bearer alpha-key-1").status());
      assertEquals(200, http.post("/v1/search", q, "X-API-Key", "beta-key-2").status());
      assertEquals(401, http.get("/v1/doc/4983").status());
      assertEquals(200, http.get("/v1/doc/4983", "X-API-Key", "beta-key-2").status());
      assertEquals(401, http.post("/admin/reload", "{\"index\": \"x\"}").status());
      assertEquals(200, http.get("/healthz").status());
      assertEquals(200, http.get("/metrics").status());
      assertEquals(200, http.get("/openapi.json").status());
      SearchClient client =
          new SearchClient(URI.create("http://127.0.0.1:" + server.port()), "alpha-key-1");
      assertEquals(10, client.search("cells", 10, "bm25").hits().size());
      SearchClient.ServerException e =
          assertThrows(
              SearchClient.ServerException.class,
              () ->
                  new SearchClient(URI.create("http://127.0.0.1:" + server.port()), "nope")
                      .search("cells", 10, "bm25"));
      assertEquals(401, e.status());
      assertEquals("unauthorized", e.code());
    }
  }

  @Test
  void withoutKeysSearchIsOpen(TestIndex idx) throws Exception {
    try (SearchServer server =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      server.load(idx.dir.toString());
      Http http = new Http(server.port());
      assertEquals(
          200, http.post("/v1/search", "{\"query\": \"cells\", \"mode\": \"bm25\"}").status());
      // Loopback may reload without keys; a missing directory is refused, not a 500.
      Http.Response r = http.post("/admin/reload", "{\"index\": \"" + tmp.resolve("none") + "\"}");
      assertEquals(422, r.status(), r.body());
      assertEquals("index_rejected", r.code());
    }
  }

  @Test
  void keyFilesAndTheEnvironment() throws Exception {
    ApiKeys k = ApiKeys.of(List.of("a", " b ", ""));
    assertTrue(k.accepts("a"));
    assertTrue(k.accepts("b"));
    assertFalse(k.accepts(""));
    assertFalse(k.accepts(null));
    assertFalse(k.accepts("c"));
    assertEquals("ApiKeys[2 keys]", k.toString());
    assertEquals(null, ApiKeys.fromEnvironment(" "));
    assertTrue(ApiKeys.fromEnvironment("x,y").accepts("y"));
    Path empty = tmp.resolve("empty");
    Files.writeString(empty, "# nothing\n");
    assertThrows(IllegalArgumentException.class, () -> ApiKeys.read(empty));
  }
}
