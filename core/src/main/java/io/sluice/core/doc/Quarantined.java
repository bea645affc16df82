package io.sluice.core.doc;

import java.util.Objects;

/**
 * A record a stage refused, kept with where it came from and why, so that nothing is dropped
 * silently. Every stage writes these to {@code <output>/_quarantine}.
 *
 * @param sourceFile the input file (as given, local path or URI)
 * @param offset byte offset of the record in the (decompressed where noted by the reader) input, or
 *     -1
 * @param recordIndex 0-based index of the record in its file, or -1 when the whole file was refused
 *     or the index is unknown (a record found by byte offset in a part of a file)
 * @param reason a stable, machine-readable code such as {@code invalid_json} or {@code too_large}
 * @param detail a human-readable message naming the field or problem
 * @param sample at most {@link #SAMPLE_CHARS} characters of the record, for a quick look
 */
public record Quarantined(
    String sourceFile, long offset, long recordIndex, String reason, String detail, String sample) {

  public static final int SAMPLE_CHARS = 1024;

  public Quarantined {
    Objects.requireNonNull(sourceFile, "sourceFile");
    Objects.requireNonNull(reason, "reason");
    detail = detail == null ? "" : detail;
    sample = truncate(sample);
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    if (s.length() <= SAMPLE_CHARS) {
      return s;
    }
    int end = SAMPLE_CHARS;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never cut a surrogate pair in half
    }
    return s.substring(0, end);
  }
}
