package io.sluice.core.spark;

import io.sluice.core.storage.StorageConfig;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark session of a stage. Under {@code spark-submit} the master and resources come
 * from the submit command; otherwise Sluice runs embedded with {@code local[*]}. Either way the s3a
 * connector is configured from one {@link StorageConfig}, so {@code s3://} paths work the same in
 * Spark and in {@link io.sluice.core.storage.Storage}.
 */
public final class SparkSessions {

  private SparkSessions() {}

  /** True when no master was given, i.e. Sluice runs embedded on this machine. */
  public static boolean isEmbedded() {
    return new SparkConf().getOption("spark.master").isEmpty();
  }

  public static SparkSession create(String appName, StorageConfig storage) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (isEmbedded()) {
      conf.setMaster("local[*]")
          .set("spark.ui.enabled", "false")
          .set("spark.ui.showConsoleProgress", "false")
          .set(
              "spark.sql.shuffle.partitions",
              Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())))
          // Running tasks report their accumulators with each heartbeat: progress lines move
          // inside a long task (ProgressReporter), not only when it ends.
          .setIfMissing("spark.executor.heartbeatInterval", "3s")
          .setIfMissing("spark.driver.host", "127.0.0.1")
          .setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    conf.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    // DESIGN.md §2: crawl_date is a TIMESTAMP_MICROS column (Spark's default, INT96, is
    // deprecated and read as a plain 12-byte value by pyarrow and others).
    conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    conf.set("spark.sql.sources.commitProtocolClass", DirectCommitProtocol.class.getName());
    for (Map.Entry<String, String> e : storage.hadoopS3aOptions().entrySet()) {
      conf.set("spark.hadoop." + e.getKey(), e.getValue());
    }
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    // getOrCreate may hand back a running session (tests, notebooks): make its s3a settings ours
    // too.
    storage.hadoopS3aOptions().forEach(spark.sparkContext().hadoopConfiguration()::set);
    spark.conf().set("spark.sql.sources.commitProtocolClass", DirectCommitProtocol.class.getName());
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    // Local outputs get no .crc side files: Parquet and Arrow carry their own checksums, and a
    // release manifest a sha256 a file. The local file system instance is shared by the driver and
    // embedded executors (Hadoop caches it per scheme), so this reaches every task's writes.
    try {
      org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext().hadoopConfiguration())
          .setWriteChecksum(false);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open the local file system", e);
    }
    return spark;
  }
}
