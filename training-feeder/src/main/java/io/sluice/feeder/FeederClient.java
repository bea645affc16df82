package io.sluice.feeder;

import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

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
 * <p>Thread-safe; streams are not.
 */
public final class FeederClient implements AutoCloseable {
  private final BufferAllocator allocator;
  private final FlightClient flight;

  private FeederClient(String host, int port) {
    this.allocator = new RootAllocator();
    this.flight = FlightClient.builder(allocator, Location.forGrpcInsecure(host, port)).build();
  }

  public static FeederClient connect(String host, int port) {
    return new FeederClient(host, port);
  }

  /** Opens the stream a rank reads; the server starts at {@code request.state()}. */
  public BatchStream stream(FeedRequest request) {
    FlightStream stream = flight.getStream(new Ticket(request.toTicket()));
    return new BatchStream(stream, request.state());
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
    flight.close();
    allocator.close();
  }
}
