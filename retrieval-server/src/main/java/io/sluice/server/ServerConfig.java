package io.sluice.server;

import io.sluice.core.auth.ApiKeys;
import io.sluice.core.storage.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SearchServer} listens, what it accepts, and how it batches. Immutable; build with
 * {@link #builder()}, whose defaults are the ones {@code sluice serve} uses.
 *
 * @param host address to bind ({@code 0.0.0.0} for all)
 * @param port TCP port (0 = any free port)
 * @param apiKeys keys required on {@code /v1/*} and {@code /admin/*}, or null for no auth
 * @param maxQueryChars longest query text accepted
 * @param maxK largest {@code k} accepted
 * @param maxBatch most queries in one batch request
 * @param maxHits most hits one request may ask for (the sum of its queries' k): what bounds the
 *     work and the answer of a batch, so that every request within the limits can be answered
 *     within the timeout (256 queries at k = 1,000 would be 256,000 passages, some 250 MB of JSON)
 * @param maxBodyBytes largest request body accepted (larger gives 413)
 * @param timeout how long a search may wait for its answer before the client gets 504
 * @param headerTimeout how long a request's headers may take to arrive, from their first byte,
 *     before the client gets 408 and the connection closes (slow-header clients)
 * @param searchThreads search-pool threads, which run BM25 queries, batch requests and unbatched
 *     dense queries in arrival order (within the timeout), and as many HTTP event-loop threads
 * @param batchWindow how long the dense micro-batcher waits for more queries after the first, when
 *     others were already queued behind it (a lone query does not wait)
 * @param batchMax most queries per encoder call; 1 turns micro-batching off (each request's query
 *     is encoded alone, on the search pool)
 * @param batchThreads micro-batcher threads, each running one encoder call at a time
 * @param queueMax dense queries waiting for the batcher before new ones get 503
 * @param encoderThreads ONNX intra-op threads per encoder call (0 = all cores)
 * @param queryTower {@code auto}, {@code teacher} or {@code student} (see the index's Retriever)
 * @param cacheDir where indexes read from S3 are downloaded
 * @param storage how to reach S3
 */
public record ServerConfig(
    String host,
    int port,
    ApiKeys apiKeys,
    int maxQueryChars,
    int maxK,
    int maxBatch,
    int maxHits,
    long maxBodyBytes,
    Duration timeout,
    Duration headerTimeout,
    int searchThreads,
    Duration batchWindow,
    int batchMax,
    int batchThreads,
    int queueMax,
    int encoderThreads,
    String queryTower,
    Path cacheDir,
    StorageConfig storage) {

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(batchWindow, "batchWindow");
    Objects.requireNonNull(queryTower, "queryTower");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(storage, "storage");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    if (maxQueryChars < 1 || maxK < 1 || maxBatch < 1 || maxHits < maxK || maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: maxQueryChars="
              + maxQueryChars
              + ", maxK="
              + maxK
              + ", maxBatch="
              + maxBatch
              + ", maxHits (>= maxK)="
              + maxHits
              + ", maxBodyBytes="
              + maxBodyBytes);
    }
    if (searchThreads < 1
        || batchMax < 1
        || batchThreads < 1
        || queueMax < 1
        || encoderThreads < 0) {
      throw new IllegalArgumentException(
          "need searchThreads, batchMax, batchThreads, queueMax >= 1 and encoderThreads >= 0; got "
              + searchThreads
              + ", "
              + batchMax
              + ", "
              + batchThreads
              + ", "
              + queueMax
              + ", "
              + encoderThreads);
    }
    if (timeout.isNegative()
        || timeout.isZero()
        || headerTimeout.toSeconds() < 1
        || batchWindow.isNegative()) {
      throw new IllegalArgumentException(
          "timeout must be positive, headerTimeout at least 1 s and batchWindow not negative; got "
              + timeout
              + ", "
              + headerTimeout
              + ", "
              + batchWindow);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** True when dense queries go through the micro-batcher. */
  boolean batching() {
    return batchMax > 1;
  }

  /** Builds a {@link ServerConfig}; not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private ApiKeys apiKeys;
    private int maxQueryChars = 2048;
    private int maxK = 1000;
    private int maxBatch = 256;
    // 10 queries at the largest k, or a full batch of 256 at k = 39: answered in well under the
    // timeout on 2 cores.
    private int maxHits = 10_000;
    private long maxBodyBytes = 1 << 20;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration headerTimeout = Duration.ofSeconds(10);
    // One per core: a search is CPU-bound, and more at once only slice the cores between them.
    private int searchThreads = Runtime.getRuntime().availableProcessors();
    // 1 ms: long enough for concurrent clients to join, short next to an encoder call (~5 ms).
    private Duration batchWindow = Duration.ofMillis(1);
    private int batchMax = 32;
    // One per core: encoder calls on small inputs use cores better side by side than split.
    private int batchThreads = Runtime.getRuntime().availableProcessors();
    private int queueMax = 4096;
    // 1: parallelism comes from concurrent calls (batcher threads, or requests when unbatched);
    // on 2 cores this measured better than each call splitting its small matrices (BENCHMARKS.md).
    private int encoderThreads = 1;
    private String queryTower = "auto";
    private Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "sluice-index-cache");
    private StorageConfig storage = StorageConfig.defaults();

    private Builder() {}

    public Builder host(String h) {
      this.host = h;
      return this;
    }

    public Builder port(int p) {
      this.port = p;
      return this;
    }

    public Builder apiKeys(ApiKeys k) {
      this.apiKeys = k;
      return this;
    }

    public Builder maxQueryChars(int n) {
      this.maxQueryChars = n;
      return this;
    }

    public Builder maxK(int n) {
      this.maxK = n;
      return this;
    }

    public Builder maxBatch(int n) {
      this.maxBatch = n;
      return this;
    }

    public Builder maxHits(int n) {
      this.maxHits = n;
      return this;
    }

    public Builder maxBodyBytes(long n) {
      this.maxBodyBytes = n;
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = d;
      return this;
    }

    public Builder headerTimeout(Duration d) {
      this.headerTimeout = d;
      return this;
    }

    public Builder searchThreads(int n) {
      this.searchThreads = n;
      return this;
    }

    public Builder batchWindow(Duration d) {
      this.batchWindow = d;
      return this;
    }

    public Builder batchMax(int n) {
      this.batchMax = n;
      return this;
    }

    public Builder batchThreads(int n) {
      this.batchThreads = n;
      return this;
    }

    public Builder queueMax(int n) {
      this.queueMax = n;
      return this;
    }

    public Builder encoderThreads(int n) {
      this.encoderThreads = n;
      return this;
    }

    public Builder queryTower(String t) {
      this.queryTower = t;
      return this;
    }

    public Builder cacheDir(Path d) {
      this.cacheDir = d;
      return this;
    }

    public Builder storage(StorageConfig s) {
      this.storage = s;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          apiKeys,
          maxQueryChars,
          maxK,
          maxBatch,
          maxHits,
          maxBodyBytes,
          timeout,
          headerTimeout,
          searchThreads,
          batchWindow,
          batchMax,
          batchThreads,
          queueMax,
          encoderThreads,
          queryTower,
          cacheDir,
          storage);
    }
  }
}
