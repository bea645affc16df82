package io.sluice.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress moves inside a long task (from the executors' heartbeats), and once the task has ended
 * it shows the merged total, never a row counted twice.
 *
 * <p>No clocks: the task counts 40 rows, then waits until the test has seen them in a heartbeat,
 * then counts 40 more. A listener registered after the reporter's tells the test when the reporter
 * has heard each event (the listener bus calls listeners in order of registration).
 */
class ProgressReporterTest {

  /** Released by the test once the first 40 rows were shown; the task (same JVM) waits on it. */
  private static final CountDownLatch SHOWN = new CountDownLatch(1);

  private static long shownRows(String line) {
    Matcher m = Pattern.compile("rows ([0-9,]+)").matcher(line);
    assertTrue(m.find(), line);
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  /** Counts down when a heartbeat carries {@code value} for the accumulator, and at a task's end. */
  private static final class Events extends SparkListener {
    final CountDownLatch heartbeat = new CountDownLatch(1);
    final CountDownLatch taskEnd = new CountDownLatch(1);
    private final long id;
    private final long value;

    Events(long id, long value) {
      this.id = id;
      this.value = value;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
      for (var t : CollectionConverters.asJava(e.accumUpdates())) {
        for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
          if (info.id() == id && info.update().isDefined() && info.update().get().equals(value)) {
            heartbeat.countDown();
          }
        }
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      taskEnd.countDown();
    }
  }

  @Test
  void rowsOfARunningTaskShowBeforeItEnds() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("progress-test")
            .config("spark.ui.enabled", "false")
            .config("spark.executor.heartbeatInterval", "1s")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    try (ProgressReporter pr = new ProgressReporter(spark, "test", 1, 0, null)) {
      LongAccumulator rows = pr.rows;
      Events events = new Events(rows.id(), 40L);
      spark.sparkContext().addSparkListener(events);
      CompletableFuture<Void> job =
          CompletableFuture.runAsync(
              () ->
                  spark
                      .range(0, 1, 1, 1)
                      .foreachPartition(
                          (ForeachPartitionFunction<Long>)
                              it -> {
                                rows.add(40);
                                if (!SHOWN.await(2, TimeUnit.MINUTES)) {
                                  throw new IllegalStateException("the test never saw 40 rows");
                                }
                                rows.add(40);
                              }));
      assertTrue(events.heartbeat.await(2, TimeUnit.MINUTES), "no heartbeat with 40 rows");
      assertEquals(0, rows.value(), "the merged value moves only when the task ends");
      assertEquals(40, shownRows(pr.line()), pr.line());
      SHOWN.countDown();
      job.get();
      assertEquals(80, rows.value());
      assertTrue(events.taskEnd.await(2, TimeUnit.MINUTES), "no task end");
      assertEquals(80, shownRows(pr.line()), pr.line());
    } finally {
      spark.stop();
    }
  }
}
