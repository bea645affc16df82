package io.sluice.feeder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Serves {@code getStream} for tickets that are {@link FeedRequest}s: one record batch per step
 * with the rank's {@code input_ids}, {@code labels} and {@code position_ids}, and JSON app metadata
 * {@code {"step", "epoch", "sequence", "state", "cu_seqlens"}}.
 *
 * <p>Each stream runs on its own thread (waiting for back-pressure on the gRPC thread never
 * completes) and waits until the client can take the next batch, so a slow rank holds at most one
 * batch in the server. Errors reach the client as Flight statuses with a message: bad tickets as
 * INVALID_ARGUMENT, a corrupt or unreadable shard as INTERNAL with a message starting "data loss:";
 * other streams are unaffected.
 */
final class FeedProducer extends NoOpFlightProducer {
  static final Schema SCHEMA =
      new Schema(
          List.of(
              Field.notNullable("input_ids", new ArrowType.Int(32, true)),
              Field.notNullable("labels", new ArrowType.Int(32, true)),
              Field.notNullable("position_ids", new ArrowType.Int(32, true))));
  private static final long READY_WAIT_MS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenRelease release;
  private final DocumentTable table;
  private final int eos;
  private final BufferAllocator allocator;
  private final ExecutorService streams;
  private final Semaphore slots;
  private final ConcurrentHashMap<String, PassPlan> plans = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, SequencePacker> packers = new ConcurrentHashMap<>();
  final AtomicLong batchesSent = new AtomicLong();
  final AtomicLong tokensSent = new AtomicLong();
  final AtomicLong streamsOpened = new AtomicLong();
  final AtomicLong streamErrors = new AtomicLong();
  final AtomicLong streamsActive = new AtomicLong();

  FeedProducer(
      TokenRelease release,
      DocumentTable table,
      int eos,
      BufferAllocator allocator,
      ExecutorService streams,
      int maxStreams) {
    this.release = release;
    this.table = table;
    this.eos = eos;
    this.allocator = allocator;
    this.streams = streams;
    this.slots = new Semaphore(maxStreams);
  }

  /** The plan of a pass, built once per (seed, epoch) and kept while any stream may need it. */
  PassPlan plan(long seed, long epoch) {
    if (plans.size() > 64) {
      plans.clear(); // streams keep their own recent plans; this is only a shared shortcut
    }
    return plans.computeIfAbsent(
        seed + "/" + epoch, k -> PassPlan.build(table, release.mixture, seed, epoch));
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    FeedRequest request;
    try {
      request = FeedRequest.fromTicket(ticket.getBytes());
      if (request.release() != null && !request.release().equals(release.name)) {
        throw new IllegalArgumentException(
            "feed request: release '"
                + request.release()
                + "' is not the one served here ('"
                + release.name
                + "')");
      }
    } catch (IllegalArgumentException e) {
      streamErrors.incrementAndGet();
      listener.error(
          CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException());
      return;
    }
    if (!slots.tryAcquire()) {
      listener.error(
          CallStatus.RESOURCE_EXHAUSTED
              .withDescription("the feeder serves its maximum number of streams")
              .toRuntimeException());
      return;
    }
    BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
    backpressure.register(listener);
    streamsOpened.incrementAndGet();
    streams.execute(
        () -> {
          streamsActive.incrementAndGet();
          try {
            serve(request, listener, backpressure);
          } finally {
            streamsActive.decrementAndGet();
            slots.release();
          }
        });
  }

  private void serve(
      FeedRequest req, ServerStreamListener listener, BackpressureStrategy backpressure) {
    int n = req.sliceLength();
    SequencePacker packer =
        packers.computeIfAbsent(req.seqLen(), len -> new SequencePacker(table, eos, len));
    long[][] ranges = req.layout().ranges(req.seqLen(), req.spSize(), req.spRank());
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      IntVector[] cols = new IntVector[3];
      ByteBuffer[] views = new ByteBuffer[3];
      for (int c = 0; c < 3; c++) {
        cols[c] = (IntVector) root.getVector(c);
        cols[c].allocateNew(n);
        cols[c].getValidityBuffer().setOne(0, cols[c].getValidityBuffer().capacity());
        views[c] = cols[c].getDataBuffer().nioBuffer(0, 4 * n).order(ByteOrder.LITTLE_ENDIAN);
      }
      root.setRowCount(n);
      StreamPosition position = new StreamPosition(this::plan, req.state().seed(), req.seqLen());
      try {
        position.check(req.state());
        position.advance(req.state(), req.dpSize()); // one step must stay within bounds
      } catch (IllegalArgumentException e) {
        streamErrors.incrementAndGet();
        listener.error(
            CallStatus.INVALID_ARGUMENT.withDescription(e.getMessage()).toRuntimeException());
        return;
      }
      listener.start(root);
      FeedState group = req.state();
      for (long step = 0; req.steps() == 0 || step < req.steps(); step++) {
        if (listener.isCancelled()) {
          return; // the client went away while this step was being planned
        }
        FeedState mine = position.advance(group, req.dpRank());
        PassPlan plan = position.plan(mine.epoch());
        packer.fill(plan, mine.sequence(), ranges, views[0], views[1], views[2]);
        FeedState next = position.advance(group, req.dpSize());
        byte[] meta = metadata(step, mine, next, packer.cuSeqlens(plan, mine.sequence()));
        if (!awaitReady(listener, backpressure)) {
          return; // the client went away
        }
        ArrowBuf buf = allocator.buffer(meta.length);
        buf.writeBytes(meta);
        listener.putNext(buf);
        batchesSent.incrementAndGet();
        tokensSent.addAndGet(n);
        group = next;
      }
      listener.completed();
    } catch (java.io.UncheckedIOException e) {
      streamErrors.incrementAndGet();
      listener.error(
          CallStatus.INTERNAL.withDescription("data loss: " + e.getMessage()).toRuntimeException());
    } catch (RuntimeException e) {
      streamErrors.incrementAndGet();
      if (!listener.isCancelled()) {
        listener.error(
            CallStatus.INTERNAL
                .withDescription(e.getClass().getSimpleName() + ": " + e.getMessage())
                .toRuntimeException());
      }
    }
  }

  private static boolean awaitReady(
      ServerStreamListener listener, BackpressureStrategy backpressure) {
    while (true) {
      switch (backpressure.waitForListener(READY_WAIT_MS)) {
        case READY:
          return true;
        case CANCELLED:
          return false;
        default:
          if (listener.isCancelled()) {
            return false;
          }
      }
    }
  }

  private static byte[] metadata(long step, FeedState mine, FeedState next, int[] cuSeqlens) {
    ObjectNode m =
        JSON.createObjectNode()
            .put("step", step)
            .put("epoch", mine.epoch())
            .put("sequence", mine.sequence());
    m.set("state", next.toNode());
    ArrayNode cu = m.putArray("cu_seqlens");
    for (int v : cuSeqlens) {
      cu.add(v);
    }
    return m.toString().getBytes(StandardCharsets.UTF_8);
  }
}
