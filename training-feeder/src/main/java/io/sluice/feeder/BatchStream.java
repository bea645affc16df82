package io.sluice.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The batches of one rank, in step order, as the server sends them; {@link #state()} is what to
 * save to resume after the last batch taken. Closing it early cancels the stream on the server.
 * Errors from the server (bad ticket, corrupt shard) surface as {@link
 * org.apache.arrow.flight.FlightRuntimeException} with the server's message. Not thread-safe.
 */
public final class BatchStream implements Iterable<FeedBatch>, Iterator<FeedBatch>, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FlightStream stream;
  private final ScheduledExecutorService watchdog;
  private final Duration batchTimeout;
  private final String where;
  private volatile boolean timedOut;
  private FeedState state;
  private Boolean hasNext;
  private boolean done;

  /**
   * @param watchdog the client's timer that cancels a stream waiting past {@code batchTimeout}
   * @param where the server, for messages
   */
  BatchStream(
      FlightStream stream,
      FeedState start,
      ScheduledExecutorService watchdog,
      Duration batchTimeout,
      String where) {
    this.stream = stream;
    this.state = start;
    this.watchdog = watchdog;
    this.batchTimeout = batchTimeout;
    this.where = where;
  }

  /** The state to resume from: after the last batch returned by {@link #next}. */
  public FeedState state() {
    return state;
  }

  /**
   * @throws IllegalStateException when no batch came within the batch timeout (the stream is
   *     cancelled; resume from {@link #state()})
   */
  @Override
  public boolean hasNext() {
    if (hasNext == null) {
      if (done) {
        return false;
      }
      ScheduledFuture<?> alarm =
          watchdog.schedule(
              () -> {
                timedOut = true;
                stream.cancel("no batch within " + batchTimeout, null);
              },
              batchTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
      try {
        hasNext = stream.next();
      } catch (FlightRuntimeException e) {
        done = true;
        if (timedOut) {
          throw new IllegalStateException(
              "no batch from the feeder at "
                  + where
                  + " within "
                  + batchTimeout.toSeconds()
                  + " s; resume from state "
                  + state.toJson(),
              e);
        }
        throw e;
      } finally {
        alarm.cancel(false);
      }
      done = !hasNext;
    }
    return hasNext;
  }

  @Override
  public FeedBatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the feeder stream has ended");
    }
    hasNext = null;
    VectorSchemaRoot root = stream.getRoot();
    JsonNode meta = metadata(stream.getLatestMetadata());
    FeedState after = FeedState.fromNode(meta.get("state"));
    JsonNode cu = meta.get("cu_seqlens");
    int[] cuSeqlens = new int[cu.size()];
    for (int i = 0; i < cuSeqlens.length; i++) {
      cuSeqlens[i] = cu.get(i).asInt();
    }
    FeedBatch batch =
        new FeedBatch(
            meta.get("step").asLong(),
            meta.get("epoch").asLong(),
            meta.get("sequence").asLong(),
            after,
            ints((IntVector) root.getVector("input_ids")),
            ints((IntVector) root.getVector("labels")),
            ints((IntVector) root.getVector("position_ids")),
            cuSeqlens);
    state = after;
    return batch;
  }

  @Override
  public Iterator<FeedBatch> iterator() {
    return this;
  }

  private static int[] ints(IntVector v) {
    int[] out = new int[v.getValueCount()];
    v.getDataBuffer()
        .nioBuffer(0, 4 * out.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .asIntBuffer()
        .get(out);
    return out;
  }

  private static JsonNode metadata(ArrowBuf buf) {
    if (buf == null) {
      throw new IllegalStateException("feeder batch without metadata: is this a Sluice feeder?");
    }
    byte[] b = new byte[(int) buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), b);
    try {
      return JSON.readTree(b);
    } catch (IOException e) {
      throw new UncheckedIOException("feeder batch metadata is not JSON", e);
    }
  }

  @Override
  public void close() throws Exception {
    if (!done) {
      stream.cancel("closed by the client", null);
      done = true;
    }
    stream.close();
  }
}
