package io.sluice.core.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Console progress of a Spark stage: units done of a known total (input files), rows, bytes, rate
 * and ETA, printed every few seconds from the driver.
 *
 * <p>Tasks add to the public accumulators. Spark merges them on the driver only when a task ends,
 * so on their own they would move in task-sized steps, and a stage of one long task (one large
 * gzip file, one index shard) would show nothing for minutes. The reporter therefore also listens
 * to the executors' heartbeats, which carry running tasks' accumulator values (every {@code
 * spark.executor.heartbeatInterval}; Sluice's embedded session sets 3 s), and shows the larger of
 * the merged value and the listener's sum over finished and running tasks: both only ever count
 * what a task has done, so neither can count a row twice. Close to stop printing and listening.
 */
public final class ProgressReporter implements AutoCloseable {

  private final String label;
  private final long totalBytes;
  private final long totalUnits;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final SparkContext context;
  private final RunningTasks running;

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
    this.context = spark.sparkContext();
    this.running = new RunningTasks(List.of(units.id(), rows.id(), bytes.id()));
    context.addSparkListener(running);
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

  /** The merged value, or the running tasks' heartbeats' when they are ahead of it. */
  private long shown(LongAccumulator a) {
    return Math.max(a.value(), running.value(a.id()));
  }

  public String line() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long b = shown(bytes);
    double rate = b / seconds;
    if (totalBytes <= 0) {
      // input size unknown up front (index: documents of a table): rows, their rate, and the ETA
      // from the units (shards) done
      long u = shown(units);
      String eta =
          u > 0 && totalUnits > u
              ? format(Duration.ofSeconds((long) (seconds * (totalUnits - u) / u)))
              : "-";
      return String.format(
          "[%s] units %,d/%,d  rows %,d  %,.0f rows/s  elapsed %s  ETA %s",
          label,
          u,
          totalUnits,
          shown(rows),
          shown(rows) / seconds,
          format(Duration.ofSeconds((long) seconds)),
          eta);
    }
    String eta =
        rate > 0 && totalBytes > b
            ? format(Duration.ofSeconds((long) ((totalBytes - b) / rate)))
            : "-";
    return String.format(
        "[%s] inputs %,d/%,d  rows %,d  %s/%s  %s/s  elapsed %s  ETA %s",
        label,
        shown(units),
        totalUnits,
        shown(rows),
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
    context.removeSparkListener(running);
  }

  /**
   * Sums given accumulators over tasks from listener events: the last heartbeat value of each
   * running task, the final value of each task that ended. Heartbeats of a task that already ended
   * (posted late) are ignored. Thread-safe: the listener bus writes, the timer reads.
   */
  static final class RunningTasks extends SparkListener {
    private final List<Long> ids;
    private final Map<Long, long[]> runningValues = new ConcurrentHashMap<>();
    private final Set<Long> ended = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Long> endedTotals = new ConcurrentHashMap<>();

    RunningTasks(List<Long> ids) {
      this.ids = ids;
    }

    /** The sum for accumulator {@code id} over ended and running tasks. */
    long value(long id) {
      int k = ids.indexOf(id);
      long sum = endedTotals.getOrDefault(id, 0L);
      for (long[] v : runningValues.values()) {
        sum += v[k];
      }
      return sum;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
      for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t :
          CollectionConverters.asJava(e.accumUpdates())) {
        long task = (Long) t._1();
        long[] values = valuesOf(t._4());
        if (values != null && !ended.contains(task)) {
          runningValues.put(task, values);
        }
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      long task = e.taskInfo().taskId();
      ended.add(task);
      runningValues.remove(task);
      if (e.taskInfo().successful()) {
        long[] values = valuesOf(e.taskInfo().accumulables());
        if (values != null) {
          for (int k = 0; k < ids.size(); k++) {
            endedTotals.merge(ids.get(k), values[k], Long::sum);
          }
        }
      }
    }

    /** This reporter's accumulator values among a task's, or null when it has none of them. */
    private long[] valuesOf(scala.collection.Seq<AccumulableInfo> infos) {
      long[] values = null;
      for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
        int k = ids.indexOf(info.id());
        if (k >= 0 && info.update().isDefined() && info.update().get() instanceof Long v) {
          values = values == null ? new long[ids.size()] : values;
          values[k] = v;
        }
      }
      return values;
    }
  }
}
