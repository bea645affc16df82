package io.sluice.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of an HTTP server that misbehaves on purpose, for testing clients against an
 * unreliable S3: on a fraction of connections it answers the first request with {@code 503
 * SlowDown} and closes; on others it cuts the connection after a random number of bytes (in either
 * direction); it can also delay every chunk it forwards. Counts what it did.
 */
public final class FaultyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final double errorRate;
  private final double dropRate;
  private final long delayMs;
  private final Random random;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "faulty-proxy");
            t.setDaemon(true);
            return t;
          });
  public final AtomicLong connections = new AtomicLong();
  public final AtomicLong errors = new AtomicLong();
  public final AtomicLong drops = new AtomicLong();

  /**
   * @param errorRate fraction of connections whose first request gets a 503
   * @param dropRate fraction of connections cut after a random 1–256 KiB
   * @param delayMs pause before forwarding each chunk (slow responses)
   */
  public FaultyProxy(URI target, double errorRate, double dropRate, long delayMs, long seed)
      throws IOException {
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.errorRate = errorRate;
    this.dropRate = dropRate;
    this.delayMs = delayMs;
    this.random = new Random(seed);
    threads.execute(this::accept);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        double roll;
        long cut;
        synchronized (random) {
          roll = random.nextDouble();
          cut = 1024 + random.nextInt(256 * 1024);
        }
        threads.execute(() -> serve(client, roll, cut));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client, double roll, long cut) {
    try (client) {
      if (roll < errorRate) {
        errors.incrementAndGet();
        readHead(client.getInputStream());
        byte[] body =
            "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>injected by FaultyProxy</Message></Error>"
                .getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(
            ("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                    + body.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return;
      }
      long limit = roll < errorRate + dropRate ? cut : Long.MAX_VALUE;
      if (limit != Long.MAX_VALUE) {
        drops.incrementAndGet();
      }
      try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
        AtomicLong budget = new AtomicLong(limit);
        var up =
            threads.submit(
                () -> pump(client.getInputStream(), upstream.getOutputStream(), budget, upstream));
        pump(upstream.getInputStream(), client.getOutputStream(), budget, client);
        up.cancel(true);
      }
    } catch (IOException e) {
      // a dropped or reset connection is the point of this class
    }
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    int b;
    while (state < 4 && (b = in.read()) >= 0) {
      head.write(b);
      state =
          (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
              ? state + 1
              : 0;
    }
  }

  private Void pump(InputStream in, OutputStream out, AtomicLong budget, Socket closeOnCut)
      throws IOException {
    byte[] buf = new byte[16 * 1024];
    int n;
    try {
      while ((n = in.read(buf)) >= 0) {
        if (delayMs > 0) {
          Thread.sleep(delayMs);
        }
        long left = budget.addAndGet(-n);
        if (left < 0) {
          closeOnCut.close(); // cut mid-stream
          return null;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        closeOnCut.shutdownOutput();
      } catch (IOException ignored) {
        // already closed
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
