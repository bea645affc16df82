package io.sluice.filtering.signals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lines and paragraphs of a text, and how much of each repeats: the shared ground of the line-based
 * rules.
 */
final class TextLines {

  final List<String> lines = new ArrayList<>();
  final List<String> paragraphs = new ArrayList<>();

  TextLines(String text) {
    for (String line : text.split("\n", -1)) {
      String s = line.strip();
      if (!s.isEmpty()) {
        lines.add(s);
      }
    }
    for (String para : text.split("\n\\s*\n")) {
      String s = para.strip();
      if (!s.isEmpty()) {
        paragraphs.add(s);
      }
    }
  }

  /** Elements that repeat an earlier element, and their characters: Gopher's find_duplicates. */
  record Duplicates(int elements, long chars) {}

  static Duplicates duplicates(List<String> elements) {
    Set<String> seen = new HashSet<>();
    int dup = 0;
    long chars = 0;
    for (String e : elements) {
      if (!seen.add(e)) {
        dup++;
        chars += e.length();
      }
    }
    return new Duplicates(dup, chars);
  }
}
