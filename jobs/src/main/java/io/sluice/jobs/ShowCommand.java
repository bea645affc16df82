package io.sluice.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import io.sluice.tokenization.ShardRows;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice show}: the rows of any stage output as JSON lines, streamed (never collected
 * whole).
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Print the rows of a stage output as JSON lines: Parquet (DIR, DIR/_quarantine,"
            + " DIR/removed) or Arrow token shards (a tokens DIR or an .arrow file).")
public final class ShowCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PATH")
  String path;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "rows to print; 0 for all (default: ${DEFAULT-VALUE})")
  int limit;

  @Option(
      names = "--columns",
      split = ",",
      paramLabel = "a,b",
      description = "columns to print (default: all)")
  List<String> columns;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    if (!path.contains("://") && ShardRows.isArrow(java.nio.file.Path.of(path))) {
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      ObjectMapper json = new ObjectMapper();
      ShardRows.read(
          java.nio.file.Path.of(path),
          columns,
          limit,
          row -> {
            try {
              out.println(json.writeValueAsString(row));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return !out.checkError();
          });
      out.flush();
      return 0;
    }
    StorageConfig storage = s3.config();
    try (SparkSession spark = SparkSessions.create("sluice-show", storage)) {
      Dataset<Row> rows = StageTables.read(spark, path);
      if (columns != null && !columns.isEmpty()) {
        for (String c : columns) {
          if (!List.of(rows.columns()).contains(c)) {
            throw new IllegalArgumentException(
                "no column '" + c + "' in " + path + "; columns are " + List.of(rows.columns()));
          }
        }
        rows = rows.select(columns.stream().map(Column::new).toArray(Column[]::new));
      }
      if (limit > 0) {
        rows = rows.limit(limit);
      }
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      for (Iterator<String> it = rows.toJSON().toLocalIterator(); it.hasNext(); ) {
        out.println(it.next());
      }
      out.flush();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new ShowCommand(), args));
  }
}
