package io.sluice.filtering.signals;

/**
 * The signal vector of one document: code signals for {@code kind = code}, web signals otherwise.
 */
public final class Signals {

  private Signals() {}

  public static double[] of(String text, String kind, String lang) {
    double[] v = Signal.empty();
    if ("code".equals(kind)) {
      CodeSignals.compute(text, lang, v);
    } else {
      WebSignals.compute(text, lang, v);
    }
    return v;
  }
}
