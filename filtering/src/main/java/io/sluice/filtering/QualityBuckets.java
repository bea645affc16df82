package io.sluice.filtering;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.sluice.core.doc.DocumentSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quality buckets by score quantiles within each (kind, lang): the {@code buckets − 1} cut points
 * are {@code percentile_approx} of {@code quality_score} per group (one small row per group,
 * broadcast), and a document's bucket is {@code buckets − 1 − (cut points below its score)}, so
 * bucket 0 holds the best-scored documents of its group.
 */
final class QualityBuckets {

  private QualityBuckets() {}

  static Dataset<Row> assign(Dataset<Row> scored, int buckets) {
    if (buckets == 1) {
      return scored.withColumn(FilterSchema.BUCKET, expr("0"));
    }
    StringBuilder qs = new StringBuilder();
    for (int i = 1; i < buckets; i++) {
      qs.append(i == 1 ? "" : ", ").append((double) i / buckets);
    }
    Dataset<Row> cuts =
        scored
            .groupBy(col(DocumentSchema.KIND).as("_k"), col(DocumentSchema.LANG).as("_l"))
            .agg(
                expr("percentile_approx(" + FilterSchema.SCORE + ", array(" + qs + "), 10000)")
                    .as("_cuts"));
    return scored
        .join(
            broadcast(cuts),
            col(DocumentSchema.KIND)
                .eqNullSafe(col("_k"))
                .and(col(DocumentSchema.LANG).eqNullSafe(col("_l"))))
        .withColumn(
            FilterSchema.BUCKET,
            expr(
                "cast("
                    + (buckets - 1)
                    + " - size(filter(_cuts, c -> c < "
                    + FilterSchema.SCORE
                    + ")) as int)"))
        .drop("_k", "_l", "_cuts");
  }
}
