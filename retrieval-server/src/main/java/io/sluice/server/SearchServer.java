package io.sluice.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrieval HTTP server (DESIGN.md §6): {@code POST /v1/search}, {@code GET /v1/doc/{id}},
 * {@code GET /healthz}, {@code GET /metrics}, {@code GET /openapi.json} and {@code POST
 * /admin/reload}, on Netty event loops ({@link HttpTransport}; the routes are {@link Endpoints}).
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
  // Keep-alive connections with no traffic for this long are closed (Jetty's default was 30 s).
  private static final int IDLE_SECONDS = 60;

  private final IndexSlot slot = new IndexSlot();
  private final IndexLoader loader;
  private final ServerMetrics metrics;
  private final DenseBatcher batcher;
  private final ExecutorService searchPool;
  private final ExecutorService admin;
  private final AccessLog access = new AccessLog();
  private final ReentrantLock loading = new ReentrantLock();
  private final Endpoints endpoints;
  private HttpTransport transport;
  private volatile String loadError;
  private boolean closed;

  private SearchServer(ServerConfig config) {
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
    this.searchPool =
        Executors.newFixedThreadPool(
            config.searchThreads(), new DefaultThreadFactory("sluice-search", true));
    this.admin = Executors.newSingleThreadExecutor(new DefaultThreadFactory("sluice-reload", true));
    Responses responses = new Responses();
    SearchHandler search =
        new SearchHandler(config, slot, batcher, metrics, responses, searchPool);
    this.endpoints =
        new Endpoints(
            config,
            slot,
            metrics,
            search,
            responses,
            this::reload,
            admin,
            access,
            () -> loadError);
  }

  /** Starts listening (no index yet: {@code /healthz} answers 503 until {@link #load}). */
  public static SearchServer start(ServerConfig config) {
    SearchServer s = new SearchServer(config);
    try {
      s.transport =
          new HttpTransport(
              config.host(),
              config.port(),
              config.searchThreads(),
              config.maxBodyBytes(),
              IDLE_SECONDS,
              (int) config.headerTimeout().toSeconds(),
              s.endpoints);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The port listened on (useful with port 0). */
  public int port() {
    return transport.port();
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

  /** {@code POST /admin/reload}: like {@link #load}, but refused while another load runs. */
  private void reload(String location) {
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

  /** Blocks until the server is closed from another thread (or interrupted). */
  public void awaitClose() throws InterruptedException {
    synchronized (this) {
      while (!closed) {
        wait();
      }
    }
  }

  @Override
  public void close() {
    try {
      if (transport != null) {
        transport.close();
      }
    } finally {
      try {
        if (batcher != null) {
          batcher.close();
        }
        searchPool.shutdown();
        admin.shutdownNow();
        awaitQuietly(searchPool);
        access.close();
      } finally {
        slot.close();
        synchronized (this) {
          closed = true;
          notifyAll();
        }
      }
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: the index now served (no reference taken). */
  LoadedIndex current() {
    return slot.peek();
  }
}
