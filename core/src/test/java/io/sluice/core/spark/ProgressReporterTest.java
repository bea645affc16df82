package io.sluice.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * Progress moves inside a long task (from the executors' heartbeats), and once the task has ended
 * it shows the merged total, never a row counted twice.
 */
class ProgressReporterTest {

  private static long shownRows(String line) {
    Matcher m = Pattern.compile("rows ([0-9,]+)").matcher(line);
    assertTrue(m.find(), line);
    return Long.parseLong(m.group(1).replace(",", ""));
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
      CompletableFuture<Void> job =
          CompletableFuture.runAsync(
              () ->
                  spark
                      .range(0, 1, 1, 1)
                      .foreachPartition(
                          (ForeachPartitionFunction<Long>)
                              it -> {
                                for (int i = 0; i < 80; i++) {
                                  rows.add(1);
                                  Thread.sleep(100);
                                }
                              }));
      long seenWhileRunning = 0;
      while (!job.isDone() && seenWhileRunning == 0) {
        if (rows.value() == 0) { // the merged value moves only when the task ends
          seenWhileRunning = shownRows(pr.line());
        }
        Thread.sleep(100);
      }
      job.get();
      assertTrue(
          seenWhileRunning > 0 && seenWhileRunning < 80,
          "no rows shown while the 8 s task ran: " + seenWhileRunning);
      assertEquals(80, rows.value());
      for (int i = 0; i < 50 && shownRows(pr.line()) != 80; i++) {
        Thread.sleep(100); // the listener hears of the task's end a little after the merge
      }
      assertEquals(80, shownRows(pr.line()), pr.line());
    } finally {
      spark.stop();
    }
  }
}
