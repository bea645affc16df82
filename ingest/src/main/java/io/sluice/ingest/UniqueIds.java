package io.sluice.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.xxhash64;

import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.doc.Quarantined;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.core.stage.StageTables;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * Makes a written documents table's ids unique: a stage's ids are the key of everything after it
 * (dedup's clusters, the index's passages, the feeder's order), and a source may repeat its own
 * ids. The check reads only the id column of what was written; only when some id repeats is the
 * table rewritten, keeping one document per id (the first by url, path, then a hash of the text:
 * the same input keeps the same one) and quarantining the others as {@code duplicate_id}.
 */
final class UniqueIds {

  private UniqueIds() {}

  /**
   * @param written the documents table just written, partitioned by kind and lang
   * @param rewritten where the unique table is written when one is needed (a sibling temporary)
   * @param duplicatesDir where the quarantined duplicates are written when there are any (a
   *     sibling temporary the caller deletes once it has copied them)
   * @return the quarantined duplicates (empty when the ids were unique), as {@link
   *     DocumentSchema#QUARANTINE} rows, readable until the caller deletes {@code duplicatesDir};
   *     {@code written} then holds the unique table
   */
  static Dataset<Row> enforce(
      SparkSession spark, String written, String rewritten, String duplicatesDir)
      throws IOException {
    Dataset<Row> none = spark.createDataFrame(java.util.List.of(), DocumentSchema.QUARANTINE);
    Path table = HadoopPaths.of(written);
    if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) {
      return none; // no document was written
    }
    // through its partition directories: Spark ignores a root whose name starts with '.'
    Dataset<Row> docs = StageTables.read(spark, written);
    long repeated = docs.groupBy(DocumentSchema.ID).count().filter(col("count").gt(1)).count();
    if (repeated == 0) {
      return none;
    }
    WindowSpec byId =
        Window.partitionBy(DocumentSchema.ID)
            .orderBy(
                col(DocumentSchema.URL).asc_nulls_last(),
                col(DocumentSchema.PATH).asc_nulls_last(),
                xxhash64(col(DocumentSchema.TEXT)));
    Column[] fields =
        Arrays.stream(DocumentSchema.DOCUMENT.fieldNames()).map(f -> col(f)).toArray(Column[]::new);
    Dataset<Row> ranked =
        docs.withColumn("_rank", row_number().over(byId))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      spark
          .createDataFrame(
              ranked.filter(col("_rank").equalTo(1)).select(fields).javaRDD(),
              DocumentSchema.DOCUMENT)
          .write()
          .partitionBy(DocumentSchema.KIND, DocumentSchema.LANG)
          .parquet(rewritten);
      Dataset<Row> duplicates =
          ranked
              .filter(col("_rank").gt(1))
              .select(
                  coalesce(
                          col(DocumentSchema.URL),
                          col(DocumentSchema.PATH),
                          col(DocumentSchema.SOURCE),
                          lit("(unknown)"))
                      .as("source_file"),
                  lit(-1L).as("offset"),
                  lit(-1L).as("record_index"),
                  lit("duplicate_id").as("reason"),
                  concat(
                          lit("id '"),
                          col(DocumentSchema.ID),
                          lit("' is the id of another document of this stage, which was kept"))
                      .as("detail"),
                  substring(col(DocumentSchema.TEXT), 1, Quarantined.SAMPLE_CHARS).as("sample"));
      // written out before the table they come from is replaced; nothing goes to the driver
      spark
          .createDataFrame(duplicates.javaRDD(), DocumentSchema.QUARANTINE)
          .write()
          .parquet(duplicatesDir);
      Path from = HadoopPaths.of(rewritten);
      Path to = HadoopPaths.of(written);
      FileSystem fs = to.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(to, true);
      if (!fs.rename(from, to)) {
        throw new IOException("cannot move " + from + " to " + to);
      }
      return spark.createDataFrame(
          spark.read().parquet(duplicatesDir).javaRDD(), DocumentSchema.QUARANTINE);
    } finally {
      ranked.unpersist();
    }
  }
}
