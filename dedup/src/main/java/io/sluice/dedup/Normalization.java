package io.sluice.dedup;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How text is normalized before exact hashing and shingling. Two documents are exact duplicates iff
 * their normalized texts are equal (up to a 64-bit hash collision).
 *
 * @param collapseWhitespace runs of whitespace ({@link Character#isWhitespace}) become one space,
 *     and the ends are trimmed
 * @param lowercase each UTF-16 char mapped by {@link Character#toLowerCase(char)}: locale
 *     independent, one char to one char (unlike {@link String#toLowerCase}, which maps a few
 *     characters to two), so the shingler can fold case while it hashes
 * @param stripPunctuation Unicode punctuation ({@code \p{P}}) becomes a space
 */
public record Normalization(boolean collapseWhitespace, boolean lowercase, boolean stripPunctuation)
    implements Serializable {

  private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}+");

  /**
   * Whitespace collapse and lower case: punctuation matters too much in code to strip it by
   * default.
   */
  public static Normalization defaults() {
    return new Normalization(true, true, false);
  }

  /**
   * Parses a comma-separated list of {@code whitespace}, {@code lowercase}, {@code punctuation} (or
   * {@code none}), e.g. {@code whitespace,lowercase}.
   */
  public static Normalization parse(String spec) {
    boolean ws = false;
    boolean lc = false;
    boolean p = false;
    for (String s : spec.split(",")) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "whitespace", "ws" -> ws = true;
        case "lowercase", "lower" -> lc = true;
        case "punctuation", "punct" -> p = true;
        case "none", "" -> {}
        default ->
            throw new IllegalArgumentException(
                "unknown normalization '"
                    + s
                    + "': use whitespace, lowercase, punctuation or none");
      }
    }
    return new Normalization(ws, lc, p);
  }

  /**
   * True when only whitespace collapsing and lower-casing (or less) apply: no punctuation
   * stripping.
   */
  boolean isWhitespaceAndCaseOnly() {
    return !stripPunctuation;
  }

  /** The normalized text; never null ({@code null} is treated as empty). */
  public String apply(String text) {
    String t = text == null ? "" : text;
    if (stripPunctuation) {
      t = PUNCTUATION.matcher(t).replaceAll(" ");
    }
    if (!lowercase && !collapseWhitespace) {
      return t;
    }
    StringBuilder out = new StringBuilder(t.length());
    boolean space = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      int width = Character.charCount(cp);
      if (collapseWhitespace && Character.isWhitespace(cp)) {
        space = out.length() > 0;
        i += width;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      for (int j = i; j < i + width; j++) {
        out.append(lowercase ? Character.toLowerCase(t.charAt(j)) : t.charAt(j));
      }
      i += width;
    }
    return out.toString();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (collapseWhitespace) {
      parts.add("whitespace");
    }
    if (lowercase) {
      parts.add("lowercase");
    }
    if (stripPunctuation) {
      parts.add("punctuation");
    }
    return parts.isEmpty() ? "none" : String.join(",", parts);
  }
}
