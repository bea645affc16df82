package io.sluice.ingest.normalize;

import java.text.Normalizer;

/**
 * Makes text safe to store and train on: lone surrogates become U+FFFD, control characters other
 * than tab and newline are removed, {@code \r\n} and {@code \r} become {@code \n}, and the result
 * is Unicode NFC. Stateless and thread-safe.
 *
 * <p>The fast path does no copying: most text is already clean and NFC.
 */
public final class TextNormalizer {

  /** The normalised text and how many characters had to be repaired (surrogates, controls). */
  public record Normalized(String text, int repaired) {}

  private TextNormalizer() {}

  public static Normalized normalize(String s) {
    int repaired = 0;
    StringBuilder sb = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String replacement = null;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (sb != null) {
            sb.append(c).append(s.charAt(i + 1));
          }
          i++;
          continue;
        }
        replacement = "\uFFFD";
        repaired++;
      } else if (Character.isLowSurrogate(c)) {
        replacement = "\uFFFD";
        repaired++;
      } else if (c == '\r') {
        replacement = (i + 1 < n && s.charAt(i + 1) == '\n') ? "" : "\n";
      } else if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
        replacement = "";
        repaired++;
      }
      if (replacement != null) {
        if (sb == null) {
          sb = new StringBuilder(n);
          sb.append(s, 0, i);
        }
        sb.append(replacement);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    String cleaned = sb == null ? s : sb.toString();
    if (!Normalizer.isNormalized(cleaned, Normalizer.Form.NFC)) {
      cleaned = Normalizer.normalize(cleaned, Normalizer.Form.NFC);
    }
    return new Normalized(cleaned, repaired);
  }
}
