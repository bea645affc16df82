package io.sluice.ingest.langid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.jsoup.Jsoup;

/**
 * Loads the shared evaluation corpora (test-only).
 *
 * <p>The Debian handbook ships every page in 26 languages, but many "translated" pages are partly
 * or wholly English. A page counts as translated when {@code overlap = |words(page) ∩ words(en-US
 * page with the same path)| / |words(page)| < 0.5}, where {@code words} is the set of lower-cased
 * maximal runs of letters and digits (Unicode {@code \p{L}\p{N}}) in the jsoup body text. The en-US
 * pages themselves are English by definition and are always counted.
 */
final class SharedCorpora {
  static final String HANDBOOK = "web/multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz";
  static final String REFERENCE = "web/multilingual-docs/debian-reference-2.100-text.jsonl.gz";
  static final double MAX_OVERLAP = 0.5;

  /**
   * One handbook page: expected ISO 639-1 code, source tag, body text, overlap with the English
   * page.
   */
  record Page(String expected, String tag, String path, String text, double overlap) {
    boolean translated() {
      return expected.equals("en") || overlap < MAX_OVERLAP;
    }
  }

  private SharedCorpora() {}

  static Path root() {
    return Path.of(System.getProperty("sluice.shared.data", "/work/shared/data"));
  }

  /**
   * All handbook pages with their overlap; {@code keep} filters tags (e.g. "de-DE") before HTML
   * parsing.
   */
  static List<Page> handbook(Path root, java.util.function.Predicate<String> keep)
      throws IOException {
    List<String[]> raw = new ArrayList<>(); // tag, path, text
    Map<String, Set<String>> englishWords = new HashMap<>();
    forEachLine(
        root.resolve(HANDBOOK),
        line -> {
          Map<String, Object> o = Json.object(line);
          String tag = (String) o.get("lang");
          if (!tag.equals("en-US") && !keep.test(tag)) {
            return;
          }
          String text = Jsoup.parse((String) o.get("html")).body().text();
          String path = (String) o.get("path");
          if (tag.equals("en-US")) {
            englishWords.put(path, words(text));
          }
          if (keep.test(tag)) {
            raw.add(new String[] {tag, path, text});
          }
        });
    List<Page> pages = new ArrayList<>();
    for (String[] r : raw) {
      Set<String> w = words(r[2]);
      Set<String> en = englishWords.getOrDefault(r[1], Set.of());
      int common = 0;
      for (String s : w) {
        if (en.contains(s)) {
          common++;
        }
      }
      double overlap = w.isEmpty() ? 1.0 : (double) common / w.size();
      pages.add(new Page(iso(r[0]), r[0], r[1], r[2], overlap));
    }
    return pages;
  }

  /** "zh-TW" -> "zh", "nb-NO" -> "nb". */
  static String iso(String tag) {
    int dash = tag.indexOf('-');
    return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
  }

  static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return out;
  }

  /** Debian reference: one whole book per language, as {lang, text}. */
  static List<String[]> reference(Path root) throws IOException {
    List<String[]> out = new ArrayList<>();
    forEachLine(
        root.resolve(REFERENCE),
        line -> {
          Map<String, Object> o = Json.object(line);
          out.add(new String[] {iso((String) o.get("lang")), (String) o.get("text")});
        });
    return out;
  }

  /** The {@code text} field of every record in the CCNet English files. */
  static List<String> ccnet(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.list(root.resolve("web/ccnet"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".jsonl.gz")).sorted().toList()) {
        forEachLine(p, line -> out.add((String) Json.object(line).get("text")));
      }
    }
    return out;
  }

  static void forEachLine(Path gz, Consumer<String> action) throws IOException {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.UTF_8),
            1 << 16)) {
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank()) {
          action.accept(line);
        }
      }
    }
  }
}
