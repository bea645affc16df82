package io.sluice.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Large-star/small-star on local[2]: a chain, a star and separate components. */
class ConnectedComponentsTest {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("cc-test", StorageConfig.defaults());
    spark.conf().set("spark.sql.shuffle.partitions", "4");
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  @Test
  void chainStarAndSeparateComponents() {
    List<Row> edges = new ArrayList<>();
    // A chain of 50 edges, written from the far end so the minimum must travel 50 hops.
    for (int i = 50; i >= 1; i--) {
      edges.add(RowFactory.create(String.format("c%02d", i), String.format("c%02d", i - 1)));
    }
    for (int i = 1; i <= 20; i++) {
      edges.add(RowFactory.create("s00", String.format("s%02d", i)));
    }
    edges.add(RowFactory.create("s05", "s05")); // self loop: ignored
    edges.add(RowFactory.create("x1", "x2"));
    edges.add(RowFactory.create("y2", "y1"));
    edges.add(RowFactory.create("y3", "y2"));
    edges.add(RowFactory.create("y2", "y3")); // repeat in the other direction
    StructType schema =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType);
    ConnectedComponents.Result r =
        // Spread neighbouring edges over partitions, so that the partitions' local contraction
        // leaves the
        // chain to the rounds.
        ConnectedComponents.run(spark.createDataFrame(edges, schema).repartition(8), 100);
    Map<String, String> labels = new HashMap<>();
    for (Row row : r.labels().collectAsList()) {
      assertEquals(null, labels.put(row.getString(0), row.getString(1)), "one label per node");
    }
    assertEquals(51 + 21 + 2 + 3, labels.size());
    for (int i = 0; i <= 50; i++) {
      assertEquals("c00", labels.get(String.format("c%02d", i)));
    }
    for (int i = 0; i <= 20; i++) {
      assertEquals("s00", labels.get(String.format("s%02d", i)));
    }
    assertEquals("x1", labels.get("x2"));
    assertEquals("y1", labels.get("y3"));
    assertEquals("y1", labels.get("y1"));
    assertTrue(r.iterations() >= 3, "a chain needs several rounds, took " + r.iterations());
    assertTrue(r.iterations() <= 20, "took " + r.iterations());
  }

  @Test
  void starsAreRecognisedWithoutARound() {
    StructType schema =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.StringType);
    List<Row> pairs =
        List.of(
            RowFactory.create("b", "a"),
            RowFactory.create("c", "d"),
            RowFactory.create("c", "e"),
            RowFactory.create("d", "c"));
    ConnectedComponents.Result r = ConnectedComponents.run(spark.createDataFrame(pairs, schema), 5);
    assertEquals(0, r.iterations());
    assertEquals(5, r.labels().count());
    assertTrue(
        ConnectedComponents.isStarForest(
            spark.createDataFrame(
                List.of(RowFactory.create("a", "b"), RowFactory.create("c", "d")), schema)));
    // b is the larger end of two edges, or a leaf that is also a centre: not stars yet.
    assertFalse(
        ConnectedComponents.isStarForest(
            spark.createDataFrame(
                List.of(RowFactory.create("a", "c"), RowFactory.create("b", "c")), schema)));
    assertFalse(
        ConnectedComponents.isStarForest(
            spark.createDataFrame(
                List.of(RowFactory.create("a", "b"), RowFactory.create("b", "c")), schema)));
  }
}
