package io.sluice.core.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for console summaries. Numbers are right-aligned, text left-aligned. Not
 * thread-safe; build, then call {@link #render()}.
 */
public final class TextTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... header) {
    this.header = List.of(header);
  }

  public TextTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, header has " + header.size());
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(format(c));
    }
    rows.add(r);
    return this;
  }

  private static String format(Object c) {
    if (c == null) {
      return "";
    }
    if (c instanceof Long || c instanceof Integer) {
      return String.format("%,d", ((Number) c).longValue());
    }
    if (c instanceof Double || c instanceof Float) {
      return String.format("%,.2f", ((Number) c).doubleValue());
    }
    return c.toString();
  }

  public String render() {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    for (int i = 0; i < width.length; i++) {
      sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    sb.append('\n');
    for (List<String> r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      boolean numeric =
          !c.isEmpty()
              && (Character.isDigit(c.charAt(0)) || c.charAt(0) == '-')
              && c.chars()
                  .allMatch(ch -> Character.isDigit(ch) || ch == ',' || ch == '.' || ch == '-');
      String pad = " ".repeat(width[i] - c.length());
      sb.append(i == 0 ? "" : "  ").append(numeric ? pad + c : c + pad);
    }
    sb.append('\n');
  }
}
