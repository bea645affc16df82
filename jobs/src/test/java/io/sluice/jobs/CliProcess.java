package io.sluice.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sluice CLI in a JVM of its own, as {@code ./sluice} starts it: {@code SluiceCli.main} with
 * the JVM flags of {@code conf/jvm.properties} (copied from this test JVM) and the module's test
 * class path. For the commands that run until stopped ({@code feed}, {@code serve}) and for what
 * only a real process shows (the exit code of {@code System.exit}, shutdown hooks).
 *
 * <p>Owns the process: {@link #close} kills it. Its stdout and stderr are collected by two reader
 * threads; the accessors are thread-safe.
 */
final class CliProcess implements AutoCloseable {

  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final Thread[] readers;

  private CliProcess(Process process) {
    this.process = process;
    this.readers =
        new Thread[] {
          drain(process.getInputStream(), out, "cli-stdout"),
          drain(process.getErrorStream(), err, "cli-stderr")
        };
  }

  /** Starts {@code sluice args…} in {@code workDir}. */
  static CliProcess start(Path workDir, String... args) throws IOException {
    return start(workDir, java.util.Map.of(), args);
  }

  /** As {@link #start(Path, String...)}, with these environment variables set. */
  static CliProcess start(Path workDir, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-") || a.startsWith("-XX:") && !a.contains("Agent")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx1g");
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(SluiceCli.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().putAll(env);
    return new CliProcess(pb.start());
  }

  private static Thread drain(java.io.InputStream in, List<String> into, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  into.add(line);
                }
              } catch (IOException e) {
                // the process went away: nothing more to read
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for a line of stderr matching {@code pattern} and returns its first group.
   *
   * @throws TimeoutException if no such line came, or the process ended first; the message holds
   *     what it printed
   */
  String awaitStderr(Pattern pattern, Duration timeout) throws Exception {
    return await(err, pattern, timeout);
  }

  /** As {@link #awaitStderr}, on stdout. */
  String awaitStdout(Pattern pattern, Duration timeout) throws Exception {
    return await(out, pattern, timeout);
  }

  private String await(List<String> lines, Pattern pattern, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : m.group();
        }
      }
      if (!process.isAlive()) {
        joinReaders();
        throw new TimeoutException(
            "process ended with "
                + process.exitValue()
                + " before "
                + pattern
                + ": "
                + out()
                + "\n"
                + err());
      }
      Thread.sleep(50);
    }
    throw new TimeoutException("no line matching " + pattern + " in " + timeout + ": " + err());
  }

  /** Waits for the process to end on its own and returns its exit code. */
  int waitFor(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("still running after " + timeout + ": " + err());
    }
    joinReaders();
    return process.exitValue();
  }

  /** Asks the process to stop as Ctrl-C would (SIGTERM: shutdown hooks run). */
  int stop(Duration timeout) throws Exception {
    process.destroy();
    return waitFor(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String out() {
    return String.join("\n", out);
  }

  String err() {
    return String.join("\n", err);
  }

  boolean anyErrLine(Predicate<String> p) {
    return err.stream().anyMatch(p);
  }

  private void joinReaders() throws InterruptedException {
    for (Thread t : readers) {
      t.join(5_000);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
