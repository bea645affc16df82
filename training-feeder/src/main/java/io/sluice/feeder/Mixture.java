package io.sluice.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many times each quality bucket appears in one pass: the {@code buckets[].epochs} of a
 * selection plan ({@code sluice select} writes it as {@code mixture.json}). Buckets the plan does
 * not list are left out; without a plan every document appears once per pass.
 *
 * <p>Epochs may be fractional: a bucket with 2.4 epochs puts every document in a pass twice and 40%
 * of them (drawn per pass) a third time.
 */
final class Mixture {
  private final Map<Integer, Double> epochs;
  private final String source;

  private Mixture(Map<Integer, Double> epochs, String source) {
    this.epochs = epochs;
    this.source = source;
  }

  /** Every document once per pass, bucketed or not. */
  static Mixture uniform() {
    return new Mixture(null, "uniform (no mixture plan)");
  }

  /** Reads a selection plan; a bucket without a non-negative number of epochs is an error. */
  static Mixture read(InputStream in, String name) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    JsonNode buckets = root == null ? null : root.get("buckets");
    if (buckets == null || !buckets.isArray()) {
      throw new IOException("mixture " + name + ": no 'buckets' array");
    }
    Map<Integer, Double> epochs = new TreeMap<>();
    for (int i = 0; i < buckets.size(); i++) {
      JsonNode b = buckets.get(i);
      JsonNode id = b.get("bucket");
      JsonNode e = b.get("epochs");
      if (id == null || !id.isInt() || e == null || !e.isNumber() || e.asDouble() < 0) {
        throw new IOException(
            "mixture "
                + name
                + ": buckets["
                + i
                + "] needs an integer 'bucket' and non-negative 'epochs', got "
                + b);
      }
      epochs.put(id.asInt(), e.asDouble());
    }
    return new Mixture(epochs, name);
  }

  /** Epochs per pass of a document in {@code bucket} (-1: the document has no bucket). */
  double epochs(int bucket) {
    if (epochs == null) {
      return 1.0;
    }
    return epochs.getOrDefault(bucket, 0.0);
  }

  String source() {
    return source;
  }

  /**
   * Refuses a mixture whose pass would not fit in memory: more than {@code limit} document
   * occurrences per pass (a pass plan keeps 12 bytes per occurrence). Checked when the server
   * starts, so a plan that cannot run is refused before anything is served.
   *
   * @throws IllegalArgumentException naming the limit and the bucket that contributes most
   */
  void checkPassSize(DocumentTable table, long limit) {
    Map<Integer, Long> docs = new TreeMap<>();
    for (int d = 0; d < table.documents(); d++) {
      if (table.length(d) > 0) {
        docs.merge(table.bucket(d), 1L, Long::sum);
      }
    }
    double total = 0;
    int worst = 0;
    double worstOccurrences = -1;
    for (Map.Entry<Integer, Long> e : docs.entrySet()) {
      double occurrences = Math.ceil(epochs(e.getKey())) * e.getValue();
      total += occurrences;
      if (occurrences > worstOccurrences) {
        worst = e.getKey();
        worstOccurrences = occurrences;
      }
    }
    if (total > limit) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "mixture %s plans up to %.3g document occurrences per pass, over the feeder's limit"
                  + " of %,d (bucket %d: %s epochs of %,d documents); plan a smaller token budget"
                  + " (sluice select --token-budget) or feed without --mixture",
              source,
              total,
              limit,
              worst,
              epochs(worst),
              docs.get(worst)));
    }
  }

  @Override
  public String toString() {
    return epochs == null ? source : source + " " + epochs;
  }
}
