package io.sluice.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server (S3Proxy, storing in a temporary directory) on loopback, in its own JVM because its
 * classpath clashes with ours. For tests and the demo; close it to stop the process.
 *
 * <p>The classpath comes from {@code testing/s3proxy/target/s3proxy.classpath}, which the build
 * writes before any test runs.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "sluice-test";
  public static final String SECRET_KEY = "sluice-test-secret";

  private final Process process;
  private final URI endpoint;
  private final Path workDir;

  private S3ProxyServer(Process process, URI endpoint, Path workDir) {
    this.process = process;
    this.endpoint = endpoint;
    this.workDir = workDir;
  }

  public static S3ProxyServer start() throws IOException, InterruptedException {
    Path root = Path.of(System.getProperty("sluice.project.root", "."));
    Path cpFile = root.resolve("testing/s3proxy/target/s3proxy.classpath");
    if (!Files.exists(cpFile)) {
      throw new IllegalStateException(
          "S3Proxy classpath not built: " + cpFile + " (run mvn -pl testing/s3proxy package)");
    }
    int port = freePort();
    Path work = Files.createTempDirectory("s3proxy");
    Files.createDirectories(work.resolve("data"));
    Path props = work.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.identity=" + ACCESS_KEY,
            "jclouds.credential=" + SECRET_KEY,
            "jclouds.filesystem.basedir=" + work.resolve("data"),
            ""));
    Path logback = work.resolve("logback.xml");
    Files.writeString(
        logback,
        "<configuration><appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>"
            + work.resolve("s3proxy.log")
            + "</file><encoder><pattern>%d %level %logger - %msg%n</pattern></encoder>"
            + "</appender><root level=\"INFO\"><appender-ref ref=\"F\"/></root></configuration>");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Dlogback.configurationFile=" + logback);
    cmd.add("-cp");
    cmd.add(Files.readString(cpFile, StandardCharsets.UTF_8).trim());
    cmd.add("org.gaul.s3proxy.Main");
    cmd.add("--properties");
    cmd.add(props.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("stdout.log").toFile())
            .start();
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    S3ProxyServer server = new S3ProxyServer(p, endpoint, work);
    server.awaitReady(Duration.ofSeconds(60));
    return server;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "S3Proxy exited with "
                + process.exitValue()
                + "; see "
                + workDir.resolve("stdout.log")
                + ":\n"
                + Files.readString(workDir.resolve("stdout.log")));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(endpoint + "/").openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        c.getResponseCode(); // any HTTP answer (403 without credentials) means it is up
        c.disconnect();
        return;
      } catch (IOException notYet) {
        process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    close();
    throw new IOException("S3Proxy did not answer on " + endpoint + " within " + timeout);
  }

  /** A loopback port nothing listens on (just closed): an unreachable endpoint for tests. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * A storage configuration pointing at this server, with 3 attempts per request: S3Proxy closes
   * idle keep-alive connections, and a request on one such connection fails with a broken pipe
   * that the SDK must be allowed to retry.
   */
  public StorageConfig config() {
    return new StorageConfig(
        endpoint, "us-east-1", true, ACCESS_KEY, SECRET_KEY, Duration.ofSeconds(30), 3);
  }

  public void createBucket(S3Client client, String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (System.getenv("SLUICE_KEEP_S3PROXY") != null) {
      return;
    }
    try (var walk = Files.walk(workDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
