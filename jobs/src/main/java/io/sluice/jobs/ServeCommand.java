package io.sluice.jobs;

import io.sluice.core.auth.ApiKeys;
import io.sluice.server.SearchServer;
import io.sluice.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice serve}: the retrieval HTTP server over an index (local or S3), until stopped. The
 * port answers at once; {@code /healthz} turns 200 when the index is loaded, and a failed first
 * load ends the command with exit code 1.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve an index over HTTP: POST /v1/search, GET /v1/doc/{id}, /healthz, /metrics,"
          + " /openapi.json, POST /admin/reload.",
      "API keys (optional) come from --api-keys FILE (one per line) or $SLUICE_API_KEYS"
          + " (comma-separated)."
    })
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--index", required = true, paramLabel = "DIR|s3://…", description = "the index")
  String index;

  @Option(names = "--port", defaultValue = "8080", description = "(default: ${DEFAULT-VALUE})")
  int port;

  @Mixin BindOptions bind;

  @Option(names = "--api-keys", paramLabel = "FILE", description = "require one of these keys")
  Path apiKeys;

  @Option(names = "--max-k", defaultValue = "1000", description = "(default: ${DEFAULT-VALUE})")
  int maxK;

  @Option(
      names = "--max-batch",
      defaultValue = "256",
      description = "queries per batch request (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(
      names = "--max-hits",
      defaultValue = "10000",
      description =
          "most hits one request may ask for, the sum of its queries' k (default: ${DEFAULT-VALUE})")
  int maxHits;

  @Option(
      names = "--max-query-chars",
      defaultValue = "2048",
      description = "(default: ${DEFAULT-VALUE})")
  int maxQueryChars;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "1048576",
      description = "(default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Option(
      names = "--timeout-ms",
      defaultValue = "10000",
      description = "per search request (default: ${DEFAULT-VALUE})")
  long timeoutMs;

  @Option(
      names = "--search-threads",
      description =
          "threads running BM25, batch and unbatched dense searches in arrival order, and as"
              + " many HTTP event loops (default: one per core)")
  Integer searchThreads;

  @Option(
      names = "--batch.window-us",
      defaultValue = "1000",
      description =
          "how long dense micro-batches gather queries when others are already queued"
              + " (default: ${DEFAULT-VALUE})")
  long batchWindowUs;

  @Option(
      names = "--batch.max",
      defaultValue = "32",
      description =
          "queries per encoder call; 1 turns micro-batching off (default: ${DEFAULT-VALUE})")
  int batchMax;

  @Option(names = "--batch.threads", description = "micro-batcher threads (default: one per core)")
  Integer batchThreads;

  @Option(
      names = "--encoder-threads",
      defaultValue = "1",
      description = "ONNX threads per encoder call, 0 = all cores (default: ${DEFAULT-VALUE})")
  int encoderThreads;

  @Option(
      names = "--query-tower",
      defaultValue = "auto",
      description = "auto (distilled if present), teacher or student (default: ${DEFAULT-VALUE})")
  String queryTower;

  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description = "where S3 indexes are downloaded (default: $TMPDIR/sluice-index-cache)")
  Path cacheDir;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    ServerConfig.Builder b =
        ServerConfig.builder()
            .host(bind.host)
            .port(port)
            .apiKeys(
                apiKeys != null
                    ? ApiKeys.read(apiKeys)
                    : ApiKeys.fromEnvironment(System.getenv(ApiKeys.ENV)))
            .maxK(maxK)
            .maxBatch(maxBatch)
            .maxHits(maxHits)
            .maxQueryChars(maxQueryChars)
            .maxBodyBytes(maxBodyBytes)
            .timeout(Duration.ofMillis(timeoutMs))
            .batchWindow(Duration.ofNanos(batchWindowUs * 1000))
            .batchMax(batchMax)
            .encoderThreads(encoderThreads)
            .queryTower(queryTower)
            .storage(s3.config());
    if (batchThreads != null) {
      b.batchThreads(batchThreads);
    }
    if (searchThreads != null) {
      b.searchThreads(searchThreads);
    }
    if (cacheDir != null) {
      b.cacheDir(cacheDir);
    }
    ServerConfig c = b.build();
    try (SearchServer server = SearchServer.start(c)) {
      System.out.printf(
          "serve: listening on http://%s:%d (auth %s), loading %s%n",
          bind.host, server.port(), c.apiKeys() == null ? "off" : "on", index);
      server.load(index);
      System.out.printf(
          "serve: ready; try ./sluice query --url http://127.0.0.1:%d \"…\"%n", server.port());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sluice-serve-shutdown"));
      server.awaitClose();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new ServeCommand(), args));
  }
}
