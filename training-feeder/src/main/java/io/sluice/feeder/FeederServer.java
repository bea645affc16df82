package io.sluice.feeder;

import io.sluice.core.auth.ApiKeys;
import io.sluice.core.storage.StorageConfig;
import io.sluice.tokenization.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;

/**
 * An Arrow Flight server that streams packed sequences of one release to training ranks.
 *
 * <pre>{@code
 * try (FeederServer server = FeederServer.start(FeederServer.Options.of("out/tokens", 8815))) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Start-up lists the shards, downloads them first when the release is on S3, memory-maps them
 * and reads each document's offsets (not its tokens), then begins serving; shard checksums are
 * checked in the background and by whichever stream reaches a shard first. Thread-safe.
 */
public final class FeederServer implements AutoCloseable {

  /**
   * How to serve.
   *
   * @param release a release root or a {@code tokens/} stage output, local or {@code s3://}
   * @param mixture a mixture plan overriding the release's (null: the release's, or uniform)
   * @param host address to bind
   * @param port port to bind (0: any free port)
   * @param eosId the end-of-text id (null: the tokenizer's, found by the shards' tokenizer name)
   * @param cacheDir where S3 shards are downloaded
   * @param cacheBytes bound on the shard cache on disk
   * @param maxStreams streams served at once; more are refused with RESOURCE_EXHAUSTED
   * @param metricsPort port of the HTTP {@code /healthz} and {@code /metrics} endpoint (0: any free
   *     port, -1: none)
   * @param apiKeys keys a client must present ({@link FeederAuth}), or null for none
   */
  public record Options(
      String release,
      String mixture,
      String host,
      int port,
      Integer eosId,
      Path cacheDir,
      long cacheBytes,
      int maxStreams,
      int metricsPort,
      StorageConfig storage,
      ApiKeys apiKeys) {

    /** Serves {@code release} on loopback with defaults for the rest (no keys). */
    public static Options of(String release, int port) {
      return new Options(
          release,
          null,
          "127.0.0.1",
          port,
          null,
          Path.of(System.getProperty("user.home"), ".cache", "sluice", "feeder"),
          64L << 30,
          1024,
          -1,
          StorageConfig.fromEnvironment(System.getenv()),
          null);
    }

    public Options withMixture(String path) {
      return new Options(
          release,
          path,
          host,
          port,
          eosId,
          cacheDir,
          cacheBytes,
          maxStreams,
          metricsPort,
          storage,
          apiKeys);
    }

    public Options withHost(String h) {
      return new Options(
          release,
          mixture,
          h,
          port,
          eosId,
          cacheDir,
          cacheBytes,
          maxStreams,
          metricsPort,
          storage,
          apiKeys);
    }

    public Options withEosId(Integer id) {
      return new Options(
          release,
          mixture,
          host,
          port,
          id,
          cacheDir,
          cacheBytes,
          maxStreams,
          metricsPort,
          storage,
          apiKeys);
    }

    public Options withCache(Path dir, long bytes) {
      return new Options(
          release,
          mixture,
          host,
          port,
          eosId,
          dir,
          bytes,
          maxStreams,
          metricsPort,
          storage,
          apiKeys);
    }

    public Options withMetricsPort(int p) {
      return new Options(
          release,
          mixture,
          host,
          port,
          eosId,
          cacheDir,
          cacheBytes,
          maxStreams,
          p,
          storage,
          apiKeys);
    }

    public Options withStorage(StorageConfig config) {
      return new Options(
          release,
          mixture,
          host,
          port,
          eosId,
          cacheDir,
          cacheBytes,
          maxStreams,
          metricsPort,
          config,
          apiKeys);
    }

    /** Requires one of {@code keys} on every stream ({@code authorization: Bearer KEY}). */
    public Options withApiKeys(ApiKeys keys) {
      return new Options(
          release,
          mixture,
          host,
          port,
          eosId,
          cacheDir,
          cacheBytes,
          maxStreams,
          metricsPort,
          storage,
          keys);
    }
  }

  /**
   * What the server has done so far.
   *
   * @param streams streams opened
   * @param active streams being served now
   * @param batches batches sent
   * @param tokens tokens sent, per column
   * @param errors streams that ended in an error (bad tickets included)
   */
  public record Stats(long streams, long active, long batches, long tokens, long errors) {}

  private final TokenRelease release;
  private final DocumentTable table;
  private final BufferAllocator allocator;
  private final ExecutorService streams;
  private final FeedProducer producer;
  private final FlightServer flight;
  private final Thread verifier;
  private final FeederMetrics metrics;
  private final int eos;

  private FeederServer(Options o) throws IOException {
    this.release = TokenRelease.open(o.release(), o.mixture(), o.storage());
    this.eos = o.eosId() != null ? o.eosId() : endOfText(release.tokenizer);
    List<Path> files = release.localFiles(o.cacheDir(), o.cacheBytes(), o.storage());
    List<ShardFile> shards = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      shards.add(ShardFile.open(release.shards.get(i), files.get(i)));
    }
    this.table = new DocumentTable(shards);
    release.mixture.checkPassSize(table, PassPlan.MAX_OCCURRENCES);
    this.verifier = new Thread(table::verifyAll, "feeder-verify");
    verifier.setDaemon(true);
    verifier.start();
    this.allocator = FeederMemory.root(Long.MAX_VALUE);
    AtomicInteger n = new AtomicInteger();
    this.streams =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "feeder-stream-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.producer = new FeedProducer(release, table, eos, allocator, streams, o.maxStreams());
    this.flight =
        FlightServer.builder(allocator, Location.forGrpcInsecure(o.host(), o.port()), producer)
            .headerAuthenticator(FeederAuth.server(o.apiKeys()))
            .build();
    try {
      flight.start();
    } catch (IOException e) {
      allocator.close();
      throw new IOException(
          "cannot listen on " + o.host() + ":" + o.port() + " (" + rootMessage(e) + ")",
          e);
    }
    try {
      this.metrics =
          o.metricsPort() < 0
              ? null
              : new FeederMetrics(o.host(), o.metricsPort(), producer, table);
    } catch (IOException e) {
      flight.shutdown();
      allocator.close();
      throw new IOException(
          "cannot serve metrics on "
              + o.host()
              + ":"
              + o.metricsPort()
              + " ("
              + rootMessage(e)
              + "); choose another --metrics-port, or -1 for none",
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null && e.getCause() != e) {
      e = e.getCause();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static int endOfText(String tokenizer) throws IOException {
    try {
      return Tokenizers.byNameOrPath(tokenizer).endOfTextId();
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot find the end-of-text id of tokenizer '"
              + tokenizer
              + "' the shards were written with ("
              + e.getMessage()
              + "); pass it with --eos-id",
          e);
    }
  }

  /** Opens the release and starts serving; returns once the server accepts streams. */
  public static FeederServer start(Options options) throws IOException {
    return new FeederServer(options);
  }

  public int port() {
    return flight.getPort();
  }

  /** Port of {@code /healthz} and {@code /metrics}, or -1 when not served. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** The release's name (its last path element), which tickets may name. */
  public String releaseName() {
    return release.name;
  }

  public int endOfTextId() {
    return eos;
  }

  public int documents() {
    return table.documents();
  }

  public long documentTokens() {
    return table.tokens();
  }

  public int shards() {
    return table.shardCount();
  }

  public String mixture() {
    return release.mixture.toString();
  }

  /**
   * Sequences of {@code seqLen} tokens in pass {@code epoch} of the order drawn with {@code seed}.
   */
  public long sequencesPerPass(long seed, long epoch, int seqLen) {
    return producer.plan(seed, epoch).sequences(seqLen);
  }

  public Stats stats() {
    return new Stats(
        producer.streamsOpened.get(),
        producer.streamsActive.get(),
        producer.batchesSent.get(),
        producer.tokensSent.get(),
        producer.streamErrors.get());
  }

  public void awaitTermination() throws InterruptedException {
    flight.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    if (metrics != null) {
      metrics.close();
    }
    flight.shutdown();
    if (!flight.awaitTermination(5, TimeUnit.SECONDS)) {
      flight.close();
    }
    streams.shutdownNow();
    streams.awaitTermination(5, TimeUnit.SECONDS);
    verifier.interrupt();
    allocator.close();
  }
}
