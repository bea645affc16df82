package io.sluice.core.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator of counts by name (skipped records by reason, and the like). Merged on the
 * driver.
 */
public final class CountsAccumulator extends AccumulatorV2<String, Map<String, Long>> {

  private static final long serialVersionUID = 1L;

  private final TreeMap<String, Long> counts = new TreeMap<>();

  @Override
  public boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public CountsAccumulator copy() {
    CountsAccumulator c = new CountsAccumulator();
    c.counts.putAll(counts);
    return c;
  }

  @Override
  public void reset() {
    counts.clear();
  }

  @Override
  public void add(String name) {
    counts.merge(name, 1L, Long::sum);
  }

  @Override
  public void merge(AccumulatorV2<String, Map<String, Long>> other) {
    other.value().forEach((k, v) -> counts.merge(k, v, Long::sum));
  }

  @Override
  public Map<String, Long> value() {
    return new TreeMap<>(counts);
  }
}
