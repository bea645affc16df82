package io.sluice.jobs;

import io.sluice.core.auth.ApiKeys;
import io.sluice.feeder.FeederServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice feed}: serves packed sequences of a release to training ranks over Arrow Flight.
 */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description =
        "Serve packed sequences of a token release to training ranks over Arrow Flight (ticket"
            + " format: training-feeder/README.md).")
public final class FeedCommand implements Callable<Integer> {
  /** Where clients ({@code feed-dump}) find their key when none is given. */
  static final String KEY_ENV = "SLUICE_API_KEY";

  @Option(
      names = "--api-keys",
      paramLabel = "FILE",
      description =
          "require one of these keys (one per line; or $"
              + ApiKeys.ENV
              + ", comma-separated) in the header 'authorization: Bearer KEY'")
  Path apiKeys;

  @Mixin FeederOptions feeder;

  @Mixin BindOptions bind;

  @Option(names = "--port", defaultValue = "8815", description = "port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--metrics-port",
      description =
          "HTTP port of /healthz and /metrics; -1 for none (default: --port + 1, any free port"
              + " when --port is 0)")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    int metrics = metricsPort != null ? metricsPort : port == 0 ? 0 : port + 1;
    if (metrics > 0 && metrics == port) {
      throw new IllegalArgumentException(
          "--port and --metrics-port are both "
              + port
              + ": give the metrics another port (or --metrics-port -1 for none)");
    }
    ApiKeys keys =
        apiKeys != null ? ApiKeys.read(apiKeys) : ApiKeys.fromEnvironment(System.getenv(ApiKeys.ENV));
    FeederServer server =
        FeederServer.start(
            feeder.server(bind.host, port).withMetricsPort(metrics).withApiKeys(keys));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    System.err.printf(
        "feed: serving %s (%d shards, %,d documents, %,d tokens; mixture %s; EOS %d) on"
            + " grpc://%s:%d, metrics on port %d, keys %s, after %.1f s%n",
        feeder.release,
        server.shards(),
        server.documents(),
        server.documentTokens(),
        server.mixture(),
        server.endOfTextId(),
        bind.host,
        server.port(),
        server.metricsPort(),
        keys == null ? "off" : "on",
        (System.nanoTime() - t0) / 1e9);
    server.awaitTermination();
    return 0;
  }
}
