package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrieval HTTP server (DESIGN.md §6): {@code POST /v1/search}, {@code GET /v1/doc/{id}},
 * {@code GET /healthz}, {@code GET /metrics}, {@code GET /openapi.json} and {@code POST
 * /admin/reload}, on Javalin (Jetty).
 *
 * <pre>{@code
 * try (SearchServer s = SearchServer.start(ServerConfig.builder().port(8080).build())) {
 *   s.load("out/index");          // or s3://bucket/releases/x/v1/index; /healthz is 503 until here
 *   s.awaitClose();
 * }
 * }</pre>
 *
 * <p>{@link #start} listens at once and answers {@code /healthz} with 503 until {@link #load} has
 * installed an index. {@link #load} again (or {@code POST /admin/reload}) swaps to another version
 * without failing a request; an index that fails its checksums is refused and the current one keeps
 * serving. Errors are JSON {@code {"error": {"code", "message"}}} with stable codes, never a stack
 * trace. Every request is logged (method, path, status, ms; never keys or bodies) to the {@code
 * io.sluice.server.access} logger. Thread-safe; owns the index it serves: close it.
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("io.sluice.server.access");
  private static final String ERROR_WRITTEN = "sluice.error";

  private final ServerConfig config;
  private final IndexSlot slot = new IndexSlot();
  private final IndexLoader loader;
  private final ServerMetrics metrics;
  private final DenseBatcher batcher;
  private final SearchHandler search;
  private final Responses responses = new Responses();
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock loading = new ReentrantLock();
  private final byte[] openapi;
  private final Javalin app;
  private volatile String loadError;

  private SearchServer(ServerConfig config) {
    this.config = config;
    this.loader = new IndexLoader(config);
    this.metrics = new ServerMetrics(slot);
    this.batcher =
        config.batching()
            ? new DenseBatcher(
                config.batchWindow().toNanos(),
                config.batchMax(),
                config.queueMax(),
                config.batchThreads(),
                metrics::batch)
            : null;
    this.search = new SearchHandler(config, slot, batcher, metrics);
    try (InputStream in = SearchServer.class.getResourceAsStream("openapi.json")) {
      this.openapi = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("openapi.json is missing from the server jar", e);
    }
    this.app = Javalin.create(this::configure);
  }

  /** Starts listening (no index yet: {@code /healthz} answers 503 until {@link #load}). */
  public static SearchServer start(ServerConfig config) {
    SearchServer s = new SearchServer(config);
    try {
      s.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The port listened on (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** True once an index is being served. */
  public boolean ready() {
    return slot.peek() != null;
  }

  /**
   * Loads, verifies and starts serving the index at {@code location} (a local directory or {@code
   * s3://…}), retiring the previous one after its in-flight requests. Loads run one at a time.
   *
   * @throws IllegalArgumentException when it is not an index or fails its checksums; the previous
   *     index (if any) keeps serving
   */
  public void load(String location) throws IOException {
    loading.lock();
    try {
      install(location);
    } finally {
      loading.unlock();
    }
  }

  private void install(String location) throws IOException {
    long start = System.nanoTime();
    LoadedIndex next;
    try {
      next = loader.load(location);
    } catch (IOException | RuntimeException e) {
      metrics.reload("rejected");
      if (slot.peek() == null) {
        loadError = e.getMessage();
      }
      LOG.warn("index {} refused: {}", location, e.getMessage());
      throw e;
    }
    slot.install(next);
    loadError = null;
    metrics.reload("ok");
    LOG.info(
        "serving {} ({} passages) after {} ms",
        location,
        next.retriever().passages(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private void configure(JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.http.maxRequestSize = config.maxBodyBytes();
    c.http.prefer405over404 = true;
    c.routes.before(this::authenticate);
    c.routes.addHttpHandler(HandlerType.POST, Route.SEARCH.path(), this::search);
    c.routes.addHttpHandler(HandlerType.GET, Route.DOC.path(), this::doc);
    c.routes.addHttpHandler(HandlerType.GET, Route.HEALTH.path(), this::health);
    c.routes.addHttpHandler(HandlerType.GET, Route.METRICS.path(), this::metrics);
    c.routes.addHttpHandler(
        HandlerType.GET,
        Route.OPENAPI.path(),
        ctx -> ctx.contentType("application/json").result(openapi));
    c.routes.addHttpHandler(HandlerType.POST, Route.RELOAD.path(), this::reload);
    c.routes.exception(
        ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
    c.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> error(ctx, e.getStatus(), code(e.getStatus()), e.getMessage()));
    c.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
          error(ctx, 500, "internal", "internal server error; the server log has the details");
        });
    for (int status : new int[] {404, 405, 413, 500}) {
      c.routes.error(
          status,
          "*",
          ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
              error(ctx, status, code(status), message(status, ctx));
            }
          });
    }
    c.requestLogger.http(this::log);
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "body_too_large";
      case 500 -> "internal";
      default -> "http_" + status;
    };
  }

  private static String message(int status, Context ctx) {
    return switch (status) {
      case 404 -> "no route " + ctx.method() + " " + ctx.path();
      case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
      default -> "HTTP " + status;
    };
  }

  private void error(Context ctx, int status, String code, String message) {
    ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
    metrics.error(code);
    ctx.status(status)
        .contentType("application/json")
        .result(responses.bytes(Responses.error(code, message)));
  }

  private void authenticate(Context ctx) {
    Route r = route(ctx.path());
    if (r == null || !r.authenticated()) {
      return;
    }
    ApiKeys keys = config.apiKeys();
    if (keys == null) {
      if (r == Route.RELOAD && !loopback(ctx)) {
        throw new ApiException(
            403, "forbidden", "without API keys, /admin/reload is only accepted from loopback");
      }
      return;
    }
    String presented = ctx.header("X-API-Key");
    String auth = ctx.header("Authorization");
    if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = auth.substring(7);
    }
    if (!keys.accepts(presented)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          401,
          "unauthorized",
          presented == null
              ? "an API key is required (Authorization: Bearer KEY or X-API-Key: KEY)"
              : "the API key is not valid");
    }
  }

  private static boolean loopback(Context ctx) {
    try {
      return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static Route route(String path) {
    for (Route r : Route.ALL) {
      if (r.path().equals(path)) {
        return r;
      }
    }
    return path.startsWith("/v1/doc/") ? Route.DOC : null;
  }

  private byte[] body(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > config.maxBodyBytes()) {
      throw new ApiException(413, "body_too_large", tooLarge(declared + " bytes"));
    }
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBodyBytes() + 1));
      if (b.length > config.maxBodyBytes()) {
        throw new ApiException(413, "body_too_large", tooLarge("more than the limit"));
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the request body", e);
    }
  }

  private String tooLarge(String got) {
    return "the request body is limited to " + config.maxBodyBytes() + " bytes; got " + got;
  }

  private void search(Context ctx) {
    counted(ctx, () -> json(ctx, 200, search.search(body(ctx))));
  }

  private void doc(Context ctx) {
    counted(
        ctx,
        () -> {
          String id = ctx.pathParam("id");
          LoadedIndex index = slot.acquire();
          try {
            Map<String, Object> passage = index.docs().passage(id);
            if (passage != null) {
              json(ctx, 200, passage);
              return;
            }
            List<Map<String, Object>> passages = index.docs().document(id);
            if (passages.isEmpty()) {
              throw new ApiException(404, "not_found", "no passage or document with id " + id);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("doc_id", id);
            out.put("passages", passages);
            json(ctx, 200, out);
          } finally {
            index.release();
          }
        });
  }

  private void health(Context ctx) {
    LoadedIndex i = slot.peek();
    Map<String, Object> out = new LinkedHashMap<>();
    if (i == null) {
      out.put("status", loadError == null ? "loading" : "failed");
      if (loadError != null) {
        out.put("error", loadError);
      }
      json(ctx, 503, out);
    } else {
      out.put("status", "ready");
      out.put("index", Responses.describe(i));
      json(ctx, 200, out);
    }
  }

  private void metrics(Context ctx) throws IOException {
    ctx.contentType(metrics.contentType()).result(metrics.scrape());
  }

  private void reload(Context ctx) {
    counted(
        ctx,
        () -> {
          JsonNode b;
          try {
            b = json.readTree(body(ctx));
          } catch (IOException e) {
            throw ApiException.badRequest(
                "invalid_json", "expected {\"index\": \"DIR or s3://…\"}");
          }
          if (b == null || !b.path("index").isTextual() || b.path("index").textValue().isBlank()) {
            throw ApiException.badRequest(
                "invalid_request", "expected {\"index\": \"DIR or s3://…\"}");
          }
          String location = b.get("index").textValue();
          if (!loading.tryLock()) {
            throw new ApiException(409, "reload_in_progress", "another index is being loaded");
          }
          try {
            install(location);
          } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(422, "index_rejected", e.getMessage());
          } finally {
            loading.unlock();
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("status", "swapped");
          out.put("index", Responses.describe(slot.peek()));
          json(ctx, 200, out);
        });
  }

  /** Runs a handler body counting it as in flight. */
  private void counted(Context ctx, ThrowingRunnable body) {
    metrics.inFlight.incrementAndGet();
    try {
      body.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      metrics.inFlight.decrementAndGet();
    }
  }

  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  private void json(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(responses.bytes(body));
  }

  private void log(Context ctx, Float ms) {
    Route r = route(ctx.path());
    String label = r == null ? "unmatched" : r.path();
    metrics.request(label, ctx.method().name(), ctx.statusCode());
    if (ACCESS.isInfoEnabled()) {
      // Path only: no query string, headers (keys) or bodies.
      // Tenths of a millisecond by rounding, not String.format: this runs for every request.
      ACCESS.info(
          "{} {} {} {}ms",
          ctx.method().name(),
          ctx.path(),
          ctx.statusCode(),
          Math.round(ms * 10) / 10.0);
    }
  }

  /** Blocks until the server is closed from another thread (or interrupted). */
  public void awaitClose() throws InterruptedException {
    synchronized (this) {
      while (!closed) {
        wait();
      }
    }
  }

  private boolean closed;

  @Override
  public void close() {
    try {
      app.stop();
    } finally {
      try {
        if (batcher != null) {
          batcher.close();
        }
      } finally {
        slot.close();
        synchronized (this) {
          closed = true;
          notifyAll();
        }
      }
    }
  }

  /** For tests: the index now served (no reference taken). */
  LoadedIndex current() {
    return slot.peek();
  }
}
