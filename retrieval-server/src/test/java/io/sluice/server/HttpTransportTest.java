package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP/1.1 on a raw socket, as the transport must handle it: pipelined requests answered in request
 * order even when a later one is ready first (and a body over the limit refused in its turn),
 * malformed requests refused with a JSON 400, and percent-encoded document ids.
 */
@ExtendWith(TestIndex.Resolver.class)
class HttpTransportTest {

  private static SearchServer server;

  @BeforeAll
  static void start(TestIndex idx) throws Exception {
    server =
        SearchServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .headerTimeout(java.time.Duration.ofSeconds(2))
                .build());
    server.load(idx.dir.toString());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      // A dense query waits for the micro-batcher and the query tower; the BM25 one behind it, on
      // the search pool, is ready first.
      String dense = "{\"query\": \"white matter in newborns\", \"k\": 3, \"mode\": \"dense\"}";
      String bm25 = "{\"query\": \"white matter in newborns\", \"k\": 2, \"mode\": \"bm25\"}";
      // Between them, a body over the 1 MiB limit: the transport refuses it itself (413), in its
      // turn, and reads past the rest of it to the next request.
      String big = "{\"query\": \"" + "a".repeat(1_200_000) + "\"}";
      OutputStream out = s.getOutputStream();
      String requests = post(dense) + post(big) + post(bm25) + post(dense);
      out.write(requests.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String[] expected = {"dense", "body_too_large", "bm25", "dense"};
      for (String what : expected) {
        if (what.equals("body_too_large")) {
          JsonNode e = new ObjectMapper().readTree(readResponse(in, 413));
          assertEquals(what, e.path("error").path("code").asText());
          continue;
        }
        JsonNode r = new ObjectMapper().readTree(readResponse(in, 200));
        assertEquals(what, r.path("mode").asText(), "replies out of request order");
        assertEquals(what.equals("dense") ? 3 : 2, r.path("hits").size());
      }
    }
  }

  @Test
  void malformedRequestsGetAJson400AndTheServerKeepsServing() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("NOT AN HTTP REQUEST\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      JsonNode r = new ObjectMapper().readTree(readResponse(s.getInputStream(), 400));
      assertEquals("bad_request", r.path("error").path("code").asText());
    }
    assertEquals(200, new Http(server.port()).get("/healthz").status());
  }

  /** Sends raw bytes on a fresh connection and returns the head and body of the one answer. */
  private static String[] exchange(byte[] request, int status) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 " + status + " "), head);
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return new String[] {head, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }
  }

  private static String code(String body) throws IOException {
    return new ObjectMapper().readTree(body).path("error").path("code").asText();
  }

  @Test
  void oversizedRequestLinesAndHeadersAndUnknownVersionsGetTheirJsonStatus() throws Exception {
    String longLine = "GET /v1/doc/" + "x".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    assertEquals("uri_too_long", code(exchange(bytes(longLine), 414)[1]));
    // 64 KB of headers: the JSON answer, not a connection reset
    String bigHeaders =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(65_536) + "\r\n\r\n";
    String[] r = exchange(bytes(bigHeaders), 431);
    assertEquals("headers_too_large", code(r[1]));
    r = exchange(bytes("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"), 505);
    assertEquals("http_version_not_supported", code(r[1]));
    r = exchange(bytes("GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n"), 400);
    assertTrue(!r[1].contains("Exception"), "no Java class names in answers: " + r[1]);
    assertEquals(200, new Http(server.port()).get("/healthz").status());
  }

  @Test
  void aBodyTooLargeWithExpectContinueGetsTheJson413() throws Exception {
    String req =
        "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n";
    String[] r = exchange(bytes(req), 413);
    assertEquals("body_too_large", code(r[1]));
  }

  @Test
  void headIsGetWithoutABodyAnd405ListsTheAllowedMethods() throws Exception {
    String[] get = exchange(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 200);
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(bytes("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      s.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200 "), head);
      assertTrue(
          head.toLowerCase().contains("content-length: " + bytes(get[1]).length), head);
      // no body came: the next bytes are the second answer's status line
      assertTrue(readHead(in).startsWith("HTTP/1.1 200 "));
    }
    String[] r = exchange(bytes("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
    assertTrue(r[0].contains("allow: GET, HEAD") || r[0].contains("Allow: GET, HEAD"), r[0]);
    r = exchange(bytes("GET /v1/search HTTP/1.1\r\nHost: x\r\n\r\n"), 405);
    assertTrue(r[0].toLowerCase().contains("allow: post"), r[0]);
    assertEquals("method_not_allowed", code(r[1]));
  }

  @Test
  void aClientSendingHeadersTooSlowlyGets408AndIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
      out.flush();
      long t0 = System.nanoTime();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 408 "), head);
      double waited = (System.nanoTime() - t0) / 1e9;
      assertTrue(waited > 1.5 && waited < 10, "408 after the 2 s header timeout: " + waited);
    }
    // a keep-alive connection that is idle between requests is not timed out by this
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      assertEquals("ready", new ObjectMapper().readTree(readResponse(s.getInputStream(), 200)).path("status").asText());
      Thread.sleep(3000);
      s.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
      readResponse(s.getInputStream(), 200);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void documentIdsArePercentDecodedButPlusStaysPlus() throws Exception {
    assertEquals("4983#0", Endpoints.docId("/v1/doc/4983%230"));
    assertEquals("src/a+b.py", Endpoints.docId("/v1/doc/src%2Fa+b.py"));
    assertEquals("caf\u00e9 100%", Endpoints.docId("/v1/doc/caf%C3%A9%20100%"));
    Http.Response r = new Http(server.port()).get("/v1/doc/4983%230");
    assertEquals(200, r.status(), r.body());
    assertEquals("4983#0", r.json().path("id").asText());
  }

  private static String post(String body) {
    return "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  /** Reads one response with a Content-Length body, checking its status; returns the body. */
  private static String readResponse(InputStream in, int status) throws IOException {
    String head = readHead(in);
    assertTrue(head.startsWith("HTTP/1.1 " + status + " "), head);
    int length = -1;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    assertTrue(length >= 0, head);
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.write(b);
      boolean next = b == (matched % 2 == 0 ? '\r' : '\n');
      matched = next ? matched + 1 : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.UTF_8);
  }
}
