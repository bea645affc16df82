package io.sluice.dedup;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.encoders.RowEncoder;

/**
 * Connected components of an undirected graph held as a Spark table, by alternating large-star and
 * small-star (Kiveris et al., "Connected Components in MapReduce and Beyond", SoCC 2014): O(log^2
 * n) rounds, each a few shuffles; nothing is collected to the driver. Each partition of the edges
 * is first contracted to stars on its executor ({@link LocalStars}), which leaves the rounds only
 * the components that span partitions: graphs of duplicates are mostly small components, and a
 * round costs several shuffles whatever its size.
 *
 * <p>Edges are kept normalized as {@code (a, b)} with {@code a < b}. Large-star links every
 * neighbour larger than a node to the minimum of the node's closed neighbourhood; small-star links
 * a node and its smaller neighbours to the minimum of them. Both preserve connectivity and the
 * fixpoint is one star per component centred on its minimum id, detected by {@link #isStarForest}.
 * Each round's edges are {@code localCheckpoint}ed: the lineage of an iterative job otherwise grows
 * with every round, and planning time with it.
 */
final class ConnectedComponents {

  /**
   * @param labels {@code id, component}: every node that appears in an edge, with the smallest node
   *     id of its component (a component's minimum is labelled with itself)
   * @param iterations rounds of large-star + small-star until every component was a star (0 when
   *     the input already was)
   */
  record Result(Dataset<Row> labels, int iterations) {}

  private ConnectedComponents() {}

  /**
   * @param edges a table with string columns {@code a} and {@code b}; direction, self loops and
   *     repeats do not matter. Its partitions are contracted locally first: fewer, larger
   *     partitions (each fitting an executor) leave fewer rounds.
   */
  static Result run(Dataset<Row> edges, int maxIterations) {
    Dataset<Row> pairs = edges.select(col("a"), col("b"));
    Dataset<Row> e =
        normalize(pairs.mapPartitions(new LocalStars(), RowEncoder.encoderFor(pairs.schema())))
            .localCheckpoint();
    for (int it = 0; it <= maxIterations; it++) {
      if (isStarForest(e)) {
        Dataset<Row> labels =
            e.select(col("b").as("id"), col("a").as("component"))
                .union(e.select(col("a").as("id"), col("a").as("component")))
                .distinct();
        return new Result(labels, it);
      }
      e = smallStar(largeStar(e)).localCheckpoint();
    }
    throw new IllegalStateException(
        "connected components did not converge in " + maxIterations + " rounds");
  }

  /**
   * True when every component is a star around its smallest node, the fixpoint: no node is the
   * larger end {@code b} of two edges, and none is both a {@code b} and a centre {@code a}. One
   * shuffle, where comparing two rounds' edge sets takes two. Most graphs of duplicates (pairs,
   * small cliques after one round) pass it at once.
   */
  static boolean isStarForest(Dataset<Row> e) {
    Dataset<Row> roles =
        e.select(col("b").as("node"), lit(1).as("leaf"), lit(0).as("centre"))
            .union(e.select(col("a").as("node"), lit(0).as("leaf"), lit(1).as("centre")));
    return roles
        .groupBy("node")
        .agg(sum("leaf").as("leaf"), max("centre").as("centre"))
        .filter(col("leaf").gt(1).or(col("leaf").equalTo(1).and(col("centre").equalTo(1))))
        .isEmpty();
  }

  private static Dataset<Row> normalize(Dataset<Row> e) {
    return e.filter(col("a").notEqual(col("b")))
        .select(least(col("a"), col("b")).as("a"), greatest(col("a"), col("b")).as("b"))
        .distinct();
  }

  /** For each node u, every neighbour v > u is linked to m(u) = min(u, N(u)). */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> both =
        e.select(col("a").as("u"), col("b").as("v"))
            .union(e.select(col("b").as("u"), col("a").as("v")));
    Dataset<Row> m =
        both.groupBy("u")
            .agg(min("v").as("mv"))
            .select(col("u"), least(col("u"), col("mv")).as("m"));
    return normalize(
        both.join(m, "u").filter(col("v").gt(col("u"))).select(col("v").as("a"), col("m").as("b")));
  }

  /** For each node u, u and its neighbours v < u are linked to m = min of those neighbours. */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    // In the normalized edge (a, b), a is b's smaller neighbour.
    Dataset<Row> m = e.groupBy("b").agg(min("a").as("m"));
    Dataset<Row> toMin = e.join(m, "b").select(col("a"), col("m").as("b"));
    Dataset<Row> self = m.select(col("b").as("a"), col("m").as("b"));
    return normalize(toMin.union(self));
  }
}
