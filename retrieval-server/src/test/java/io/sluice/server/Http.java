package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Raw HTTP calls for the tests (bodies the {@link SearchClient} would never send). Every answer is
 * checked against the server's {@code openapi.json} ({@link OpenApiContract}): one that breaks it
 * fails the call with the contract's complaint.
 */
final class Http {

  record Response(int status, String body, HttpResponse<byte[]> raw) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(body);
    }

    /** The error code of a JSON error body. */
    String code() throws IOException {
      return json().path("error").path("code").asText();
    }
  }

  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;

  Http(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  Response get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    return send(b, headers);
  }

  Response post(String path, String body, String... headers)
      throws IOException, InterruptedException {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  Response post(String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(b, headers);
  }

  private Response send(HttpRequest.Builder b, String... headers)
      throws IOException, InterruptedException {
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpRequest request = b.timeout(Duration.ofSeconds(30)).build();
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    List<String> broken =
        OpenApiContract.get()
            .violations(
                request.method(),
                request.uri().getRawPath(),
                r.statusCode(),
                r.headers().firstValue("Content-Type").orElse(null),
                r.body());
    if (!broken.isEmpty()) {
      throw new AssertionError("answer breaks openapi.json: " + broken);
    }
    return new Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r);
  }
}
