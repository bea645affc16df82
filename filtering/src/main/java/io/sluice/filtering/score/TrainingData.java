package io.sluice.filtering.score;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.filtering.signals.Signals;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Training examples for the quality classifier from documents tables: reference "high-quality"
 * documents are positives, random web documents negatives. Each side is a deterministic sample
 * (lowest hash of the id first) of at most {@code maxPerClass} documents: the only place Sluice
 * brings documents to the driver, bounded by that cap.
 */
public final class TrainingData {

  private TrainingData() {}

  public static List<QualityTrainer.Example> load(
      SparkSession spark, List<String> positive, List<String> negative, int maxPerClass) {
    List<QualityTrainer.Example> examples = new ArrayList<>();
    add(spark, positive, 1, maxPerClass, examples);
    add(spark, negative, 0, maxPerClass, examples);
    return examples;
  }

  private static void add(
      SparkSession spark,
      List<String> paths,
      int label,
      int max,
      List<QualityTrainer.Example> out) {
    Dataset<Row> docs = null;
    for (String p : paths) {
      Dataset<Row> d =
          spark
              .read()
              .parquet(HadoopPaths.uri(p))
              .select(
                  DocumentSchema.ID, DocumentSchema.TEXT, DocumentSchema.KIND, DocumentSchema.LANG);
      docs = docs == null ? d : docs.unionByName(d);
    }
    if (docs == null) {
      throw new IllegalArgumentException(
          "no " + (label == 1 ? "positive" : "negative") + " inputs given");
    }
    for (Row r : docs.orderBy(xxhash64(col(DocumentSchema.ID))).limit(max).collectAsList()) {
      String text = r.getString(1);
      out.add(
          new QualityTrainer.Example(
              Signals.of(text, r.getString(2), r.getString(3)), text, label));
    }
  }
}
