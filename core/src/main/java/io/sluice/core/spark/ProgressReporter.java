package io.sluice.core.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Console progress of a Spark stage: units done of a known total (input files), rows, bytes, rate
 * and ETA, printed every few seconds from the driver.
 *
 * <p>Tasks add to the public accumulators; Spark merges them on the driver when a task ends, so
 * progress moves in task-sized steps. Close to stop printing; {@link #line()} gives the final
 * numbers.
 */
public final class ProgressReporter implements AutoCloseable {

  private final String label;
  private final long totalBytes;
  private final long totalUnits;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;

  public final LongAccumulator units;
  public final LongAccumulator rows;
  public final LongAccumulator bytes;

  /**
   * @param totalUnits units of work known up front (files), for the ETA
   * @param totalBytes input bytes known up front, for the ETA
   * @param out where to print, or null for no printing
   */
  public ProgressReporter(
      SparkSession spark, String label, long totalUnits, long totalBytes, PrintStream out) {
    this.label = label;
    this.totalUnits = totalUnits;
    this.totalBytes = totalBytes;
    this.out = out;
    this.units = spark.sparkContext().longAccumulator(label + ".units");
    this.rows = spark.sparkContext().longAccumulator(label + ".rows");
    this.bytes = spark.sparkContext().longAccumulator(label + ".bytes");
    if (out == null) {
      timer = null;
    } else {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sluice-progress-" + label);
                t.setDaemon(true);
                return t;
              });
      timer.scheduleAtFixedRate(() -> out.println(line()), 3, 3, TimeUnit.SECONDS);
    }
  }

  public String line() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long b = bytes.value();
    double rate = b / seconds;
    String eta =
        rate > 0 && totalBytes > b
            ? format(Duration.ofSeconds((long) ((totalBytes - b) / rate)))
            : "-";
    return String.format(
        "[%s] inputs %,d/%,d  rows %,d  %s/%s  %s/s  elapsed %s  ETA %s",
        label,
        units.value(),
        totalUnits,
        rows.value(),
        bytes(b),
        bytes(totalBytes),
        bytes((long) rate),
        format(Duration.ofSeconds((long) seconds)),
        eta);
  }

  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String units = "KMGTPE";
    int exp = (int) (Math.log(n) / Math.log(1024));
    return String.format("%.1f %siB", n / Math.pow(1024, exp), units.charAt(exp - 1));
  }

  private static String format(Duration d) {
    return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
