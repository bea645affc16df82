package io.sluice.feeder;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Measures the feeder on loopback: a server on the release and {@code dp × sp} client streams, each
 * reading its slice for a fixed time, beside the anchor, a plain Flight server streaming ready-made
 * batches of the same three int32 columns to the same number of streams in the same process. Also
 * times the first batch after a cold start (server start included) and after a resume from a state
 * in the middle of a pass.
 *
 * <p>Both servers are up together. After the timed cold start, they stream in turn, untimed,
 * until the JIT is quiet (it compiles gRPC's, Netty's and Arrow's paths, which both share: measured
 * first on a cold JVM, the feeder paid for that compilation, a fifth of its window), then in turn,
 * {@value #ROUNDS} rounds of feeder-then-anchor, and each reports its median round, so a slow spell
 * of the machine hits both alike.
 *
 * <p>Clients only receive (they do not copy the columns out), in both the feeder and the anchor, so
 * the ratio compares the servers.
 */
public final class FeedBench {
  /** Held so the level set on it is not lost when the logger is collected. */
  private static final java.util.logging.Logger GRPC_LOG =
      java.util.logging.Logger.getLogger("io.grpc");

  /** Measured rounds of each server. */
  static final int ROUNDS = 3;

  /** What to run. */
  public record Options(
      String release,
      int seqLen,
      int sp,
      int dp,
      Layout layout,
      double seconds,
      FeederServer.Options server) {}

  /** One line of the summary. */
  public record Result(
      String what,
      int streams,
      double tokensPerSecond,
      double mibPerSecond,
      double cpuSecondsPerGib,
      long batches) {}

  /** The measured numbers (each server's median round). */
  public record Summary(
      double coldStartSeconds, double resumeFirstBatchSeconds, Result feeder, Result anchor) {
    public double ratio() {
      return feeder.mibPerSecond() / anchor.mibPerSecond();
    }
  }

  private FeedBench() {}

  public static Summary run(Options o, PrintStream log) throws Exception {
    // Streams cancelled when time is up make gRPC log a warning each; they are expected here.
    GRPC_LOG.setLevel(java.util.logging.Level.SEVERE);
    int streams = o.dp() * o.sp();
    long t0 = System.nanoTime();
    try (FeederServer server = FeederServer.start(o.server().withHost("127.0.0.1"))) {
      FeedRequest first = request(o, 0, 0, FeedState.start(0), 1);
      readStream(server.port(), first, Long.MAX_VALUE);
      double cold = (System.nanoTime() - t0) / 1e9;
      log.printf(
          Locale.ROOT,
          "feed-bench: %d shards, %,d documents, %,d tokens; cold start to first batch %.3f s%n",
          server.shards(),
          server.documents(),
          server.documentTokens(),
          cold);

      long perPass = server.sequencesPerPass(0, 0, o.seqLen());
      FeedState middle = new FeedState(0, 0, perPass / 2);
      long r0 = System.nanoTime();
      readStream(server.port(), request(o, 0, 0, middle, 1), Long.MAX_VALUE);
      double resume = (System.nanoTime() - r0) / 1e9;

      IntFunction<FeedRequest> feed =
          st -> request(o, st / o.sp(), st % o.sp(), FeedState.start(0), 0);
      try (BufferAllocator allocator = FeederMemory.root(Long.MAX_VALUE);
          ReadyMadeBatches batches = new ReadyMadeBatches(allocator, o.seqLen() / o.sp());
          FlightServer plain =
              FlightServer.builder(allocator, Location.forGrpcInsecure("127.0.0.1", 0), batches)
                  .build()
                  .start()) {
        String feederName = "sluice feeder";
        String anchorName = "plain Flight, ready-made batches (anchor)";
        // Warm-up: both stream in turn until the JIT is quiet (under 0.1 s of compilation during a
        // pair of 2 s streams), for at most 6 measured rounds' time. On 2 cores C2 keeps compiling
        // gRPC's and Netty's paths for a minute; rounds measured in the first 20 s differed by up
        // to 2x.
        var jit = ManagementFactory.getCompilationMXBean();
        long w0 = System.nanoTime();
        double compiling;
        do {
          long c0 = jit.getTotalCompilationTime();
          measure(feederName, streams, Math.min(2, o.seconds()), feed, server.port());
          measure(anchorName, streams, Math.min(2, o.seconds()), st -> null, plain.getPort());
          compiling = (jit.getTotalCompilationTime() - c0) / 1e3;
        } while (compiling > 0.1 && System.nanoTime() - w0 < 6e9 * o.seconds());
        log.printf(
            Locale.ROOT,
            "feed-bench: warm-up %.0f s (JIT compiling %.2f s in its last pair of streams)%n",
            (System.nanoTime() - w0) / 1e9,
            compiling);
        List<Result> feederRounds = new ArrayList<>();
        List<Result> anchorRounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
          feederRounds.add(measure(feederName, streams, o.seconds(), feed, server.port()));
          anchorRounds.add(measure(anchorName, streams, o.seconds(), st -> null, plain.getPort()));
          log.printf(
              Locale.ROOT,
              "feed-bench: round %d: feeder %.1f MiB/s, anchor %.1f MiB/s%n",
              round + 1,
              feederRounds.get(round).mibPerSecond(),
              anchorRounds.get(round).mibPerSecond());
        }
        return new Summary(cold, resume, median(feederRounds), median(anchorRounds));
      }
    }
  }

  private static Result median(List<Result> rounds) {
    List<Result> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(Result::mibPerSecond));
    return sorted.get(sorted.size() / 2);
  }

  private static FeedRequest request(
      Options o, int dpRank, int spRank, FeedState state, long steps) {
    return new FeedRequest(
        o.seqLen(), o.layout(), dpRank, o.dp(), spRank, o.sp(), state, steps, null);
  }

  /** Reads a stream until it ends or {@code deadline}; returns {batches, tokens per column}. */
  private static long[] readStream(int port, FeedRequest r, long deadline) throws Exception {
    try (BufferAllocator allocator = FeederMemory.root(Long.MAX_VALUE);
        FlightClient client =
            FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build();
        FlightStream stream =
            client.getStream(new Ticket(r == null ? new byte[0] : r.toTicket()))) {
      long batches = 0;
      long tokens = 0;
      while (stream.next()) {
        batches++;
        tokens += stream.getRoot().getRowCount();
        if (System.nanoTime() > deadline) {
          stream.cancel("benchmark time is up", null);
          break;
        }
      }
      return new long[] {batches, tokens};
    }
  }

  private static Result measure(
      String what,
      int streams,
      double seconds,
      IntFunction<FeedRequest> requests,
      int port)
      throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      long deadline = t0 + (long) (seconds * 1e9);
      List<Future<long[]>> runs = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        FeedRequest r = requests.apply(s);
        runs.add(pool.submit(() -> readStream(port, r, deadline)));
      }
      long batches = 0;
      long tokens = 0;
      for (Future<long[]> f : runs) {
        long[] got = f.get();
        batches += got[0];
        tokens += got[1];
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      double bytes = tokens * 3.0 * 4;
      return new Result(
          what,
          streams,
          tokens / elapsed,
          bytes / elapsed / (1 << 20),
          cpu / (bytes / (1L << 30)),
          batches);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Prints the summary table. */
  public static void print(Options o, Summary s, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "seq_len %d, sp %d × dp %d = %d streams, %s layout; median of %d rounds of %.0f s each,"
            + " after a warm-up; 3 int32 columns%n",
        o.seqLen(),
        o.sp(),
        o.dp(),
        o.sp() * o.dp(),
        o.layout().wireName(),
        ROUNDS,
        o.seconds());
    out.printf(
        Locale.ROOT,
        "%-44s %14s %10s %14s %10s%n",
        "server",
        "tokens/s",
        "MiB/s",
        "CPU s/GiB*",
        "batches");
    for (Result r : List.of(s.feeder(), s.anchor())) {
      out.printf(
          Locale.ROOT,
          "%-44s %,14.0f %10.1f %14.2f %10d%n",
          r.what(),
          r.tokensPerSecond(),
          r.mibPerSecond(),
          r.cpuSecondsPerGib(),
          r.batches());
    }
    out.printf(Locale.ROOT, "feeder / anchor: %.2f%n", s.ratio());
    out.printf(
        Locale.ROOT,
        "time to first batch: cold start %.3f s, resume %.3f s%n",
        s.coldStartSeconds(),
        s.resumeFirstBatchSeconds());
    out.println(
        "* process CPU (server and clients share the process) per GiB of columns delivered");
  }

  /**
   * The anchor: streams one pre-filled batch of three int32 columns over and over. Closing it stops
   * its stream threads and waits for them, because they hold buffers of the allocator: a stream
   * whose server has shut down may never hear that its client cancelled, so the threads cannot wait
   * for that alone.
   */
  private static final class ReadyMadeBatches extends NoOpFlightProducer implements AutoCloseable {
    private final BufferAllocator allocator;
    private final int rows;
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public void close() throws InterruptedException {
      closed = true;
      for (Thread t : threads) {
        t.join();
      }
    }

    ReadyMadeBatches(BufferAllocator allocator, int rows) {
      this.allocator = allocator;
      this.rows = rows;
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
      BackpressureStrategy bp = new BackpressureStrategy.CallbackBackpressureStrategy();
      bp.register(listener);
      Thread t =
          new Thread(
              () -> {
                try (VectorSchemaRoot root =
                    VectorSchemaRoot.create(FeedProducer.SCHEMA, allocator)) {
                  for (int c = 0; c < 3; c++) {
                    IntVector v = (IntVector) root.getVector(c);
                    v.allocateNew(rows);
                    for (int i = 0; i < rows; i++) {
                      v.set(i, i);
                    }
                  }
                  root.setRowCount(rows);
                  listener.start(root);
                  while (!closed) {
                    BackpressureStrategy.WaitResult w = bp.waitForListener(100);
                    if (w == BackpressureStrategy.WaitResult.CANCELLED || listener.isCancelled()) {
                      break;
                    }
                    if (w == BackpressureStrategy.WaitResult.READY) {
                      listener.putNext();
                    }
                  }
                  if (!closed) {
                    listener.completed();
                  }
                } catch (RuntimeException e) {
                  listener.error(e);
                }
              },
              "anchor-stream");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }
}
