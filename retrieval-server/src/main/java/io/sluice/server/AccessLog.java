package io.sluice.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per request (method, path, status, milliseconds; never query strings,
 * headers or bodies) to the {@code io.sluice.server.access} logger, written by a thread of its own
 * every {@value #PERIOD_MS} ms.
 *
 * <p>Why not a log call per request: handing each line to a logging thread wakes that thread once
 * per request, and at thousands of requests a second on 2 cores those wake-ups and the logger's
 * locks cost a tenth of the server's CPU (profiled). Here a request adds its entry to a lock-free
 * queue and nothing else; the writer drains it in bursts. When the writer falls behind by {@value
 * #BACKLOG} lines, requests drain the queue themselves (slower, but no line is lost and lines keep
 * their order). A line's timestamp is
 * when it was written, at most about {@value #PERIOD_MS} ms after its answer. Thread-safe; {@link
 * #close()} writes what is left.
 */
final class AccessLog implements AutoCloseable {

  private static final Logger ACCESS = LoggerFactory.getLogger("io.sluice.server.access");
  private static final int PERIOD_MS = 100;
  private static final int BACKLOG = 1 << 16;

  private record Entry(String method, String path, int status, long nanos) {}

  private final Consumer<String> sink; // null: the access logger is off
  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Thread writer;
  private volatile boolean closed;

  /** Writes to the {@code io.sluice.server.access} logger, if it is on at INFO. */
  AccessLog() {
    this(ACCESS.isInfoEnabled() ? ACCESS::info : null);
  }

  /**
   * @param sink takes each line, on the writer thread (or a request's, when the writer lags); null
   *     logs nothing
   */
  AccessLog(Consumer<String> sink) {
    this.sink = sink;
    writer = new Thread(this::run, "sluice-access-log");
    writer.setDaemon(true);
    writer.start();
  }

  /** Logs one answered request. */
  void log(String method, String path, int status, long nanos) {
    if (sink == null) {
      return;
    }
    Entry e = new Entry(method, path, status, nanos);
    queue.add(e);
    if (queued.incrementAndGet() >= BACKLOG || closed) {
      drain(); // the writer lags (or is gone): this request writes the backlog, its line last
    }
  }

  private void run() {
    while (!closed) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS));
      drain();
    }
  }

  // One drainer at a time, so lines leave in the order they were queued.
  private synchronized void drain() {
    for (Entry e; (e = queue.poll()) != null; ) {
      queued.decrementAndGet();
      write(e);
    }
  }

  private void write(Entry e) {
    // Tenths of a millisecond by rounding, not String.format: this runs for every request.
    sink.accept(
        e.method()
            + " "
            + e.path()
            + " "
            + e.status()
            + " "
            + Math.round(e.nanos() / 1e5) / 10.0
            + "ms");
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    drain();
  }
}
