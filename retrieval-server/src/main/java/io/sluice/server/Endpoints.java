package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.auth.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API of DESIGN.md §6 over the {@link HttpTransport}: matches each request to its {@link
 * Route} (404 when none, 405 for another method), checks its API key, runs the route's handler and
 * turns every failure into a JSON error with a stable code. Counts every request and logs it to the
 * {@link AccessLog}. Thread-safe.
 */
final class Endpoints implements HttpTransport.Application {

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  /** Installs the index at a location for {@code POST /admin/reload}. */
  interface Reloader {
    /**
     * @throws ApiException 409 when a load is already running, 422 when the index is refused
     */
    void reload(String location);
  }

  private final ServerConfig config;
  private final IndexSlot slot;
  private final ServerMetrics metrics;
  private final SearchHandler search;
  private final Reloader reloader;
  private final Executor admin;
  private final AccessLog access;
  private final Supplier<String> loadError;
  private final Responses responses;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] openapi;
  private final Map<Route, Function<Request, CompletableFuture<Reply>>> handlers;

  /**
   * @param admin runs reloads, which read whole indexes and must not hold up an event loop
   * @param access where every answered request is logged
   * @param loadError why the first load failed, or null
   */
  Endpoints(
      ServerConfig config,
      IndexSlot slot,
      ServerMetrics metrics,
      SearchHandler search,
      Responses responses,
      Reloader reloader,
      Executor admin,
      AccessLog access,
      Supplier<String> loadError) {
    this.config = config;
    this.slot = slot;
    this.metrics = metrics;
    this.search = search;
    this.responses = responses;
    this.reloader = reloader;
    this.admin = admin;
    this.access = access;
    this.loadError = loadError;
    try (var in = Endpoints.class.getResourceAsStream("openapi.json")) {
      this.openapi = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the server jar", e);
    }
    this.handlers =
        Map.of(
            Route.SEARCH, r -> counted(() -> search(r)),
            Route.DOC, r -> counted(() -> doc(r)),
            Route.HEALTH, r -> done(health()),
            Route.METRICS, r -> done(metrics()),
            Route.OPENAPI, r -> done(Reply.json(200, openapi)),
            Route.RELOAD, r -> counted(() -> reload(r)));
  }

  @Override
  public CompletableFuture<Reply> handle(Request request) {
    try {
      Route route = route(request);
      authenticate(route, request);
      CompletableFuture<Reply> reply =
          handlers.get(route).apply(request).exceptionally(e -> failure(request, e));
      // HEAD is GET without the body (RFC 9110 §9.3.2): same status and headers.
      return request.method().equals("HEAD") ? reply.thenApply(Reply::headOnly) : reply;
    } catch (RuntimeException e) {
      Reply r = failure(request, e);
      return done(request.method().equals("HEAD") ? r.headOnly() : r);
    }
  }

  @Override
  public Reply refuse(int status, String code, String message) {
    metrics.error(code);
    return Reply.json(status, responses.bytes(Responses.error(code, message)));
  }

  @Override
  public void answered(Request request, Reply reply, long nanos) {
    Route r = Route.matching(request.path());
    metrics.request(r == null ? "unmatched" : r.path(), request.method(), reply.status());
    access.log(request.method(), request.path(), reply.status(), nanos);
  }

  private static CompletableFuture<Reply> done(Reply r) {
    return CompletableFuture.completedFuture(r);
  }

  private Reply failure(Request request, Throwable t) {
    Throwable e = SearchHandler.unwrap(t);
    if (e instanceof ApiException a) {
      Reply r = refuse(a.status(), a.code(), a.getMessage());
      if (a.status() == 405) {
        Route route = Route.matching(request.path());
        r = r.withHeader("Allow", route.allowed()); // RFC 9110 §15.5.6: a 405 lists them
      }
      return a.status() == 401 ? r.withHeader("WWW-Authenticate", "Bearer") : r;
    }
    LOG.error("internal error answering {} {}", request.method(), request.path(), e);
    return refuse(500, "internal", "internal server error; the server log has the details");
  }

  private static Route route(Request request) {
    Route r = Route.matching(request.path());
    if (r == null) {
      throw new ApiException(
          404, "not_found", "no route " + request.method() + " " + request.path());
    }
    if (!r.allows(request.method())) {
      throw new ApiException(
          405,
          "method_not_allowed",
          "method " + request.method() + " is not allowed on " + request.path());
    }
    return r;
  }

  private void authenticate(Route route, Request request) {
    if (!route.authenticated()) {
      return;
    }
    ApiKeys keys = config.apiKeys();
    if (keys == null) {
      if (route == Route.RELOAD
          && (request.remote() == null || !request.remote().isLoopbackAddress())) {
        throw new ApiException(
            403, "forbidden", "without API keys, /admin/reload is only accepted from loopback");
      }
      return;
    }
    String presented = request.header("X-API-Key");
    String auth = request.header("Authorization");
    if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = auth.substring(7);
    }
    if (!keys.accepts(presented)) {
      throw new ApiException(
          401,
          "unauthorized",
          presented == null
              ? "an API key is required (Authorization: Bearer KEY or X-API-Key: KEY)"
              : "the API key is not valid");
    }
  }

  /** Runs a handler counted in {@code requests_in_flight} until its reply is ready. */
  private CompletableFuture<Reply> counted(Supplier<CompletableFuture<Reply>> handler) {
    metrics.inFlight.incrementAndGet();
    try {
      return handler.get().whenComplete((r, e) -> metrics.inFlight.decrementAndGet());
    } catch (RuntimeException e) {
      metrics.inFlight.decrementAndGet();
      throw e;
    }
  }

  private CompletableFuture<Reply> search(Request request) {
    return search.search(request.body()).thenApply(body -> Reply.json(200, body));
  }

  private CompletableFuture<Reply> doc(Request request) {
    String id = docId(request.path());
    LoadedIndex index = slot.acquire();
    try {
      Map<String, Object> passage = index.docs().passage(id);
      if (passage != null) {
        return done(Reply.json(200, responses.bytes(passage)));
      }
      List<Map<String, Object>> passages = index.docs().document(id);
      if (passages.isEmpty()) {
        throw new ApiException(404, "not_found", "no passage or document with id " + id);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("doc_id", id);
      out.put("passages", passages);
      return done(Reply.json(200, responses.bytes(out)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      index.release();
    }
  }

  /**
   * The id in {@code /v1/doc/{id}}, percent-decoded as UTF-8. Only {@code %XX} escapes are decoded:
   * a {@code +} stays a plus (this is a path, not a form), and a stray {@code %} stays as it is.
   */
  static String docId(String path) {
    String raw = path.substring(Route.DOC_PREFIX.length());
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      int hi = c == '%' && i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private Reply health() {
    LoadedIndex i = slot.peek();
    Map<String, Object> out = new LinkedHashMap<>();
    if (i == null) {
      String error = loadError.get();
      out.put("status", error == null ? "loading" : "failed");
      if (error != null) {
        out.put("error", error);
      }
      return Reply.json(503, responses.bytes(out));
    }
    out.put("status", "ready");
    out.put("index", Responses.describe(i));
    return Reply.json(200, responses.bytes(out));
  }

  private Reply metrics() {
    try {
      return new Reply(200, metrics.contentType(), metrics.scrape(), Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CompletableFuture<Reply> reload(Request request) {
    JsonNode b;
    try {
      b = json.readTree(request.body());
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "expected {\"index\": \"DIR or s3://…\"}");
    }
    if (b == null || !b.path("index").isTextual() || b.path("index").textValue().isBlank()) {
      throw ApiException.badRequest("invalid_request", "expected {\"index\": \"DIR or s3://…\"}");
    }
    String location = b.get("index").textValue();
    return CompletableFuture.supplyAsync(
        () -> {
          reloader.reload(location);
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("status", "swapped");
          out.put("index", Responses.describe(slot.peek()));
          return Reply.json(200, responses.bytes(out));
        },
        admin);
  }
}
