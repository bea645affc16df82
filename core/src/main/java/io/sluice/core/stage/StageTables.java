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

  /**
   * The rows of a documents table that have an id and a text. The filter also makes both columns
   * non-nullable in the schema (Catalyst infers it from the {@code IS NOT NULL} predicates), so what
   * a stage writes from them keeps DESIGN.md §2's {@code id} and {@code text} not null even when
   * it read them from Parquet, where Spark reads every column as nullable.
   */
  public static Dataset<Row> withIdAndText(Dataset<Row> docs) {
    return docs.filter(docs.col("id").isNotNull().and(docs.col("text").isNotNull()));
  }

  /**
   * The documents with {@code id} and {@code text} declared not null, as DESIGN.md §2 has them:
   * a plan whose columns came from a Parquet read (every column nullable for Spark) and went
   * through joins would otherwise write them as optional. A row with a null there fails the write
   * naming the column; the caller has kept only rows with both ({@link #withIdAndText}).
   */
  public static Dataset<Row> declareIdAndTextNotNull(Dataset<Row> docs) {
    return docs.withColumn("id", notNull("id").apply(docs.col("id")))
        .withColumn("text", notNull("text").apply(docs.col("text")));
  }

  private static org.apache.spark.sql.expressions.UserDefinedFunction notNull(String column) {
    return org.apache.spark.sql.functions.udf(
            (org.apache.spark.sql.api.java.UDF1<String, String>)
                v -> {
                  if (v == null) {
                    throw new IllegalStateException("a document has no " + column);
                  }
                  return v;
                },
            org.apache.spark.sql.types.DataTypes.StringType)
        .asNonNullable();
  }

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
