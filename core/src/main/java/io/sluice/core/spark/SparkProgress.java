package io.sluice.core.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Progress of a stage whose tasks count nothing of their own (filter, dedup, tokenize): every few
 * seconds, the Spark stages running now with their tasks done, running and in all, read from
 * Spark's status tracker on the driver. It says that work moves and how far each step is, without
 * touching the stage's code. Prints nothing when Spark runs nothing (a step on the driver).
 *
 * <p>One printing thread per instance; close to stop it.
 */
public final class SparkProgress implements AutoCloseable {

  private final ScheduledExecutorService timer;
  private final long start = System.nanoTime();

  private SparkProgress(SparkSession spark, String label, PrintStream out, long periodSeconds) {
    SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-progress-" + label);
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(
        () -> {
          String line = line(label, tracker);
          if (line != null) {
            out.println(line);
          }
        },
        periodSeconds,
        periodSeconds,
        TimeUnit.SECONDS);
  }

  /**
   * Starts printing to {@code out} every 3 s; with {@code out} null, prints nothing.
   *
   * @param label the stage's name, e.g. {@code filter}
   */
  public static SparkProgress start(SparkSession spark, String label, PrintStream out) {
    return out == null ? null : new SparkProgress(spark, label, out, 3);
  }

  private String line(String label, SparkStatusTracker tracker) {
    StringBuilder b = new StringBuilder();
    for (int id : tracker.getActiveStageIds()) {
      SparkStageInfo s = tracker.getStageInfo(id).getOrElse(() -> null);
      if (s == null) {
        continue;
      }
      b.append(b.length() == 0 ? "" : "; ")
          .append("step ")
          .append(id)
          .append(": tasks ")
          .append(s.numCompletedTasks())
          .append('/')
          .append(s.numTasks())
          .append(" done, ")
          .append(s.numActiveTasks())
          .append(" running");
      if (s.numFailedTasks() > 0) {
        b.append(", ").append(s.numFailedTasks()).append(" failed");
      }
    }
    if (b.length() == 0) {
      return null;
    }
    Duration d = Duration.ofNanos(System.nanoTime() - start);
    return String.format(
        "[%s] %s  elapsed %d:%02d:%02d",
        label, b, d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
