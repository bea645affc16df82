package io.sluice.bench;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.ingest.IngestJob;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Phase "spark": the real {@link IngestJob}, Spark embedded with {@code local[N]}, writing Parquet
 * to a temporary directory (with {@code force}, so every pass redoes the whole stage). Throughput
 * is uncompressed input MB per second, divided by N for the per-core column. Anchor, interleaved
 * with the Spark passes: the same inputs through {@link EndToEnd} on one thread.
 *
 * <p>Besides the timings it collects evidence of where the job's time goes: the stages of its last
 * measured pass ({@link StageTimes}), the process CPU time of that pass, and how much of the
 * one-thread time the slowest input file takes (a task reads whole files, so that share bounds the
 * speed-up from more cores).
 */
final class SparkIngest {

  static final int WARMUPS = 1;
  static final int ROUNDS = 3;

  private final List<String> inputs;
  private final long inputBytes;
  private final String inputNotes;
  private final EndToEnd oneThread;
  private final StringBuilder evidence = new StringBuilder();

  /**
   * @param inputs the input files
   * @param inputBytes their uncompressed size
   * @param inputNotes what they are, for the notes column
   */
  SparkIngest(List<String> inputs, long inputBytes, String inputNotes) throws IOException {
    this.inputs = List.copyOf(inputs);
    this.inputBytes = inputBytes;
    this.inputNotes = inputNotes;
    this.oneThread = new EndToEnd(inputs, 1);
  }

  /** Where the time went, per Spark master measured so far. */
  String evidence() {
    return evidence.toString();
  }

  /**
   * Measures {@code IngestJob} under {@code local[cores]} side by side with the one-thread path.
   */
  List<Passes.Result> measure(int cores) throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("spark.master", "local[" + cores + "]");
    // With a master set, SparkSessions treats the run as submitted and leaves these to us: use
    // what it sets when embedded, so this is the session `./sluice ingest` gets.
    props.put("spark.ui.enabled", "false");
    props.put("spark.ui.showConsoleProgress", "false");
    props.put("spark.driver.host", "127.0.0.1");
    props.put("spark.driver.bindAddress", "127.0.0.1");
    props.put(
        "spark.sql.shuffle.partitions",
        Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
    props.forEach(System::setProperty);
    Path out = Files.createTempDirectory("sluice-bench-ingest-");
    SparkSession spark = SparkSessions.create("sluice-bench-ingest", StorageConfig.defaults());
    try {
      StageTimes stages = new StageTimes();
      spark.sparkContext().addSparkListener(stages);
      IngestJob job = new IngestJob(spark);
      IngestJob.Options options =
          new IngestJob.Options(
              inputs,
              out.resolve("documents").toString(),
              null,
              null,
              null,
              true,
              StorageConfig.defaults());
      double[] lastPass = new double[2]; // wall seconds, process CPU seconds
      Workload sparkRun =
          new Workload(
              "spark",
              "IngestJob local[" + cores + "]",
              inputBytes,
              cores,
              inputNotes + "; Parquet written, force",
              () -> {
                stages.clear();
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                Map<String, Object> stats = job.run(options, null).stats();
                lastPass[0] = (System.nanoTime() - t0) / 1e9;
                lastPass[1] = (processCpuNanos() - cpu0) / 1e9;
                return ((Number) stats.get("documents")).longValue();
              });
      Workload anchor =
          new Workload(
              "spark",
              "same inputs, one thread, no Spark (anchor)",
              inputBytes,
              1,
              "EndToEnd, interleaved with the local[" + cores + "] passes",
              oneThread::pass);
      List<Passes.Result> results = Passes.sideBySide(WARMUPS, ROUNDS, List.of(sparkRun, anchor));
      // Spark-internal (private[spark] in Scala, public in bytecode): the stage events of the last
      // pass may still be queued.
      spark.sparkContext().listenerBus().waitUntilEmpty();
      evidence.append(
          String.format(
              Locale.ROOT,
              "IngestJob local[%d], last measured pass: %.1f s wall, %.1f s process CPU (%.2f cores"
                  + " busy on average); stages %.1f s, outside stages (listing, commit, driver)"
                  + " %.1f s%n",
              cores,
              lastPass[0],
              lastPass[1],
              lastPass[1] / lastPass[0],
              stages.totalWall(),
              lastPass[0] - stages.totalWall()));
      evidence.append(stages.render());
      Map.Entry<String, Double> slowest = oneThread.slowestFile();
      evidence.append(
          String.format(
              Locale.ROOT,
              "one thread, last pass: %s took %.0f%% of the time of all %d files%n%n",
              slowest.getKey(),
              100 * slowest.getValue(),
              oneThread.fileCount()));
      return results;
    } finally {
      spark.stop();
      props.keySet().forEach(System::clearProperty);
      deleteTree(out);
    }
  }

  /** The single-thread counts, for comparing documents with the job's. */
  EndToEnd.Counts oneThreadCounts() {
    return oneThread.lastCounts();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
