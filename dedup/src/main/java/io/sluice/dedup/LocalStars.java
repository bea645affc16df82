package io.sluice.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Contracts one partition of an edge table on its executor: union-find over the partition's edges
 * {@code (a, b)}, then one edge {@code (root, node)} per node that is not its root, the root being
 * the smallest id of the node's component within the partition. The output connects exactly what
 * the input connected, as stars; components spread over several partitions are finished by {@link
 * ConnectedComponents}' rounds, which now start from far fewer edges and usually from stars.
 *
 * <p>Memory: a map of every node of the partition (two references per node), so partitions of the
 * edge table must fit an executor, as any Spark partition must.
 */
final class LocalStars implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  @Override
  public Iterator<Row> call(Iterator<Row> edges) {
    Map<String, String> parent = new HashMap<>();
    while (edges.hasNext()) {
      Row e = edges.next();
      String a = find(parent, e.getString(0));
      String b = find(parent, e.getString(1));
      int c = a.compareTo(b);
      if (c < 0) {
        parent.put(b, a);
      } else if (c > 0) {
        parent.put(a, b);
      }
    }
    List<Row> out = new ArrayList<>();
    for (String node : parent.keySet()) {
      String root = find(parent, node);
      if (!root.equals(node)) {
        out.add(RowFactory.create(root, node));
      }
    }
    return out.iterator();
  }

  /** The root of {@code x}'s tree, halving the path on the way (a new node is its own root). */
  private static String find(Map<String, String> parent, String x) {
    String p = parent.putIfAbsent(x, x);
    if (p == null) {
      return x;
    }
    String node = x;
    while (true) {
      String up = parent.get(node);
      if (up.equals(node)) {
        return node;
      }
      String grand = parent.get(up);
      parent.put(node, grand);
      node = grand;
    }
  }
}
