package io.sluice.jobs;

import io.sluice.feeder.FeederServer;
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

  @Mixin FeederOptions feeder;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
              + " interface)")
  String host;

  @Option(names = "--port", defaultValue = "8815", description = "port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "8816",
      description = "HTTP port of /healthz and /metrics; -1 for none (default: ${DEFAULT-VALUE})")
  int metricsPort;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    FeederServer server =
        FeederServer.start(feeder.server(host, port).withMetricsPort(metricsPort));
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
            + " grpc://%s:%d, metrics on port %d, after %.1f s%n",
        feeder.release,
        server.shards(),
        server.documents(),
        server.documentTokens(),
        server.mixture(),
        server.endOfTextId(),
        host,
        server.port(),
        server.metricsPort(),
        (System.nanoTime() - t0) / 1e9);
    server.awaitTermination();
    return 0;
  }
}
