package io.sluice.core.stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the main table of a stage output. A stage directory holds its table's partition directories
 * ({@code kind=web/…}) next to sidecar tables such as {@code removed/}; Spark's partition discovery
 * refuses such a mix, so only the {@code key=value} directories are read (with the stage directory
 * as base path, keeping the partition columns). A directory without partitions (a sidecar, a plain
 * Parquet table) is read as it is.
 */
public final class StageTables {

  private StageTables() {}

  public static Dataset<Row> read(SparkSession spark, String dir) {
    String uri = HadoopPaths.uri(dir);
    Path path = new Path(uri);
    List<String> partitions = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.getFileStatus(path).isDirectory()) {
        if (!fs.listFiles(path, true).hasNext()) {
          return spark.emptyDataFrame(); // a table of zero rows (see StageOutput#commit)
        }
        for (FileStatus s : fs.listStatus(path)) {
          if (s.isDirectory() && s.getPath().getName().contains("=")) {
            partitions.add(s.getPath().toString());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (partitions.isEmpty()) {
      return spark.read().parquet(uri);
    }
    return spark.read().option("basePath", uri).parquet(partitions.toArray(String[]::new));
  }
}
