package io.sluice.feeder;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The training side of the feeder. One client per process; one {@link BatchStream} per rank.
 *
 * <pre>{@code
 * try (FeederClient client = FeederClient.connect("feeder-host", 8815);
 *     BatchStream batches = client.stream(new FeedRequest(
 *         1 << 20, Layout.ZIGZAG, dpRank, dpSize, spRank, spSize, savedStateOrStart, 0, null))) {
 *   for (FeedBatch b : batches) {
 *     train(b.inputIds(), b.labels(), b.positionIds(), b.cuSeqlens());
 *     checkpoint(batches.state()); // after a restart: client.resume(request, savedState)
 *   }
 * }
 * }</pre>
 *
 * <p>A stream that delivers no batch within the batch timeout ({@link #DEFAULT_BATCH_TIMEOUT}
 * unless given) is cancelled, and its iterator throws naming the server and the state to resume
 * from: a feeder that hangs or is gone never blocks a trainer for ever.
 *
 * <p>Thread-safe; streams are not.
 */
public final class FeederClient implements AutoCloseable {
  /** How long a stream waits for its next batch unless told otherwise: 120 s. */
  public static final Duration DEFAULT_BATCH_TIMEOUT = Duration.ofSeconds(120);

  private final BufferAllocator allocator;
  private final FlightClient flight;
  private final String where;
  private final CallOption[] callOptions;
  private final Duration batchTimeout;
  private final ScheduledExecutorService watchdog;

  private FeederClient(String host, int port, String apiKey, Duration batchTimeout) {
    this.allocator = FeederMemory.root(Long.MAX_VALUE);
    this.flight = FlightClient.builder(allocator, Location.forGrpcInsecure(host, port)).build();
    this.where = "grpc://" + host + ":" + port;
    this.callOptions =
        apiKey == null ? new CallOption[0] : new CallOption[] {FeederAuth.header(apiKey)};
    this.batchTimeout = batchTimeout;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "feeder-client-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** A client of a feeder without keys, with the default batch timeout. */
  public static FeederClient connect(String host, int port) {
    return new FeederClient(host, port, null, DEFAULT_BATCH_TIMEOUT);
  }

  /**
   * @param apiKey the key a feeder started with keys needs (null: none)
   * @param batchTimeout how long a stream waits for each batch before it is cancelled
   */
  public static FeederClient connect(String host, int port, String apiKey, Duration batchTimeout) {
    if (batchTimeout.isNegative() || batchTimeout.isZero()) {
      throw new IllegalArgumentException("batch timeout must be positive, got " + batchTimeout);
    }
    return new FeederClient(host, port, apiKey, batchTimeout);
  }

  /** Opens the stream a rank reads; the server starts at {@code request.state()}. */
  public BatchStream stream(FeedRequest request) {
    FlightStream stream = flight.getStream(new Ticket(request.toTicket()), callOptions);
    return new BatchStream(stream, request.state(), watchdog, batchTimeout, where);
  }

  /**
   * Continues a rank's stream after a restart or crash from the state saved with the model's
   * checkpoint; the dp_size (and dp_rank) of {@code request} may differ from the run that saved it:
   * no sequence is lost or repeated.
   */
  public BatchStream resume(FeedRequest request, FeedState state) {
    return stream(request.withState(state));
  }

  @Override
  public void close() throws InterruptedException {
    watchdog.shutdownNow();
    flight.close();
    allocator.close();
  }
}
