package io.sluice.filtering.rules;

import io.sluice.filtering.signals.Signal;
import java.util.Objects;
import java.util.Set;

/**
 * One filtering rule: a bound on one signal for documents of one kind. A document fails the rule
 * when the signal is defined and on the wrong side of the threshold; an undefined signal (NaN) is
 * "not applicable", never a failure.
 *
 * @param name stable name, e.g. {@code gopher_min_words}; used in reports and {@code failed_rules}
 * @param kind {@code web} or {@code code}
 * @param min true for a lower bound (signal >= threshold passes), false for an upper bound
 * @param skipLangs languages the rule does not apply to (e.g. word length in unspaced scripts)
 * @param source where the threshold comes from
 */
public record Rule(
    String name,
    String kind,
    Signal signal,
    boolean min,
    double threshold,
    Set<String> skipLangs,
    String source)
    implements java.io.Serializable {

  public Rule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signal, "signal");
    skipLangs = skipLangs == null ? Set.of() : Set.copyOf(skipLangs);
  }

  /** True when the rule applies to a document of this kind and language. */
  public boolean appliesTo(String docKind, String lang) {
    return kind.equals(docKind) && (lang == null || !skipLangs.contains(lang));
  }

  /** True when the signal vector fails this rule. */
  public boolean fails(double[] signals) {
    double x = signals[signal.ordinal()];
    if (Double.isNaN(x)) {
      return false;
    }
    return min ? x < threshold : x > threshold;
  }

  public Rule withThreshold(double newThreshold) {
    return new Rule(name, kind, signal, min, newThreshold, skipLangs, source);
  }

  @Override
  public String toString() {
    return name + ": " + signal.column() + (min ? " >= " : " <= ") + threshold;
  }
}
