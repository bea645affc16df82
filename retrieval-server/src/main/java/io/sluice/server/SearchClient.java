package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small client of the retrieval server over {@code java.net.http}, for people and tests who want
 * hits without writing JSON.
 *
 * <pre>{@code
 * SearchClient c = new SearchClient(URI.create("http://localhost:8080"), null);
 * for (SearchClient.Hit h : c.search("what causes tides", 5, "hybrid").hits()) {
 *   System.out.println(h.score() + " " + h.docId() + " " + h.text());
 * }
 * }</pre>
 *
 * <p>A refused request throws {@link ServerException} with the server's status, error code and
 * message. Thread-safe (one {@link HttpClient} shared by all calls); holds no resources that need
 * closing.
 */
public final class SearchClient {

  /**
   * One hit: passage id, document id, score, text, and every other field the server sent (title,
   * source, url or path, kind, lang, start, end).
   */
  public record Hit(
      String id, String docId, double score, String text, Map<String, Object> fields) {
    public Hit {
      fields = Map.copyOf(fields);
    }
  }

  /** The answer to one query; {@code mode} is null for the parts of a batch. */
  public record Result(List<Hit> hits, String mode, double tookMs) {
    public Result {
      hits = List.copyOf(hits);
    }
  }

  /** A non-2xx answer: HTTP status and the server's stable error code and message. */
  public static final class ServerException extends IOException {
    private final int status;
    private final String code;

    ServerException(int status, String code, String message) {
      super("HTTP " + status + " " + code + ": " + message);
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }
  }

  private final URI base;
  private final String apiKey;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param base e.g. {@code http://localhost:8080}
   * @param apiKey sent as {@code Authorization: Bearer}, or null
   */
  public SearchClient(URI base, String apiKey) {
    this(base, apiKey, Duration.ofSeconds(30));
  }

  public SearchClient(URI base, String apiKey, Duration timeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.apiKey = apiKey;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * @param mode {@code bm25}, {@code dense}, {@code hybrid}, or null for the server's default
   */
  public Result search(String query, int k, String mode) throws IOException, InterruptedException {
    ObjectNode body = json.createObjectNode().put("query", query).put("k", k);
    if (mode != null) {
      body.put("mode", mode);
    }
    JsonNode r = post("/v1/search", json.writeValueAsBytes(body));
    return result(r.path("hits"), r.path("mode").asText(null), r.path("took_ms").asDouble());
  }

  /** One request for many queries; results in the order of the queries. */
  public List<Result> searchBatch(List<String> queries, int k, String mode)
      throws IOException, InterruptedException {
    ObjectNode body = json.createObjectNode().put("k", k);
    ArrayNode qs = body.putArray("queries");
    queries.forEach(qs::add);
    if (mode != null) {
      body.put("mode", mode);
    }
    JsonNode r = post("/v1/search", json.writeValueAsBytes(body));
    double took = r.path("took_ms").asDouble();
    List<Result> out = new ArrayList<>();
    for (JsonNode res : r.path("results")) {
      out.add(result(res.path("hits"), null, took));
    }
    return out;
  }

  /** The server's {@code /healthz} answer as JSON, whether ready or not. */
  public JsonNode health() throws IOException, InterruptedException {
    HttpResponse<byte[]> r = send(request("/healthz").GET().build());
    return json.readTree(r.body());
  }

  private JsonNode post(String path, byte[] body) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    JsonNode n = json.readTree(r.body());
    if (r.statusCode() / 100 != 2) {
      JsonNode e = n.path("error");
      throw new ServerException(
          r.statusCode(), e.path("code").asText("unknown"), e.path("message").asText(""));
    }
    return n;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (apiKey != null) {
      b.header("Authorization", "Bearer " + apiKey);
    }
    return b;
  }

  private HttpResponse<byte[]> send(HttpRequest r) throws IOException, InterruptedException {
    try {
      return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.ConnectException e) {
      throw new java.net.ConnectException(
          "cannot connect to "
              + r.uri().getScheme()
              + "://"
              + r.uri().getAuthority()
              + " (connection refused: is sluice serve running there?)");
    } catch (java.net.http.HttpConnectTimeoutException e) {
      throw new java.net.http.HttpConnectTimeoutException(
          "no answer from " + r.uri().getAuthority() + " within the 10 s connect timeout");
    }
  }

  private Result result(JsonNode hits, String mode, double took) {
    List<Hit> out = new ArrayList<>();
    for (JsonNode h : hits) {
      Map<String, Object> fields = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String k = f.getKey();
        if (!k.equals("id") && !k.equals("doc_id") && !k.equals("score") && !k.equals("text")) {
          fields.put(
              k, f.getValue().isNumber() ? f.getValue().numberValue() : f.getValue().asText());
        }
      }
      out.add(
          new Hit(
              h.path("id").asText(),
              h.path("doc_id").asText(),
              h.path("score").asDouble(),
              h.path("text").asText(),
              fields));
    }
    return new Result(out, mode, took);
  }
}
