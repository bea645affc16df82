package io.sluice.index;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a document into {@link Passage}s.
 *
 * <ul>
 *   <li>Web text: windows of {@code words} whitespace-separated words (default 256, the usual
 *       dense-retrieval passage size); for scripts written without spaces (zh, ja, ko, th) windows
 *       of {@code 2 × words} characters. A last window shorter than a quarter of the size is merged
 *       into the one before, so no passage is a stub.
 *   <li>Code: top-level definitions (a line at indentation 0 starting a function, class, struct, …)
 *       are the preferred cut points; consecutive definitions are packed up to {@code codeLines}
 *       lines; a definition longer than that is cut by lines.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class PassageSplitter implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Default words per web passage. */
  static final int WORDS = 256;

  /** Default lines per code passage. */
  static final int CODE_LINES = 60;

  private static final Set<String> UNSPACED = Set.of("zh", "ja", "ko", "th", "lo", "km", "my");
  private static final Pattern WORD = Pattern.compile("\\S+");

  /** A line that starts a top-level definition in the common languages. */
  private static final Pattern DEFINITION =
      Pattern.compile(
          "^(?:@|def |async def |class |func |fn |pub |impl |struct |enum |trait |interface "
              + "|type |function |export |public |private |protected |static |abstract |final "
              + "|template|namespace |module |sub |package |[A-Za-z_][\\w:<>,* ]*\\)\\s*\\{?\\s*$"
              + "|[A-Za-z_][\\w:<>*]*\\s+\\**[A-Za-z_][\\w:]*\\s*\\()");

  private final int words;
  private final int codeLines;

  PassageSplitter(int words, int codeLines) {
    if (words < 1 || codeLines < 1) {
      throw new IllegalArgumentException(
          "passage sizes must be positive: words=" + words + ", code lines=" + codeLines);
    }
    this.words = words;
    this.codeLines = codeLines;
  }

  List<Passage> split(
      String docId,
      String title,
      String text,
      String kind,
      String lang,
      String source,
      String url,
      String path) {
    List<int[]> spans;
    if ("code".equals(kind)) {
      spans = codeSpans(text);
    } else if (lang != null && UNSPACED.contains(lang)) {
      spans = charSpans(text, 2 * words);
    } else {
      spans = wordSpans(text);
    }
    List<Passage> out = new ArrayList<>(spans.size());
    for (int[] s : spans) {
      out.add(
          new Passage(
              docId,
              out.size(),
              s[0],
              s[1],
              title,
              text.substring(s[0], s[1]),
              kind,
              lang,
              source,
              url,
              path));
    }
    return out;
  }

  private List<int[]> wordSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    int n = 0;
    int start = -1;
    int end = 0;
    while (m.find()) {
      if (start < 0) {
        start = m.start();
      }
      end = m.end();
      if (++n == words) {
        spans.add(new int[] {start, end});
        n = 0;
        start = -1;
      }
    }
    if (start >= 0) {
      if (!spans.isEmpty() && n < words / 4) {
        spans.get(spans.size() - 1)[1] = end;
      } else {
        spans.add(new int[] {start, end});
      }
    }
    if (spans.isEmpty()) {
      spans.add(new int[] {0, text.length()});
    }
    return spans;
  }

  private static List<int[]> charSpans(String text, int size) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = Math.min(text.length(), i + size);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++; // never cut a surrogate pair
      }
      if (text.length() - end < size / 4) {
        end = text.length();
      }
      spans.add(new int[] {i, end});
      i = end;
    }
    if (spans.isEmpty()) {
      spans.add(new int[] {0, 0});
    }
    return spans;
  }

  private List<int[]> codeSpans(String text) {
    // Line starts, and which lines begin a top-level definition.
    List<Integer> starts = new ArrayList<>();
    List<Boolean> cut = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int nl = text.indexOf('\n', i);
      int end = nl < 0 ? text.length() : nl + 1;
      starts.add(i);
      cut.add(DEFINITION.matcher(text.substring(i, Math.min(end, i + 200))).find());
      i = end;
    }
    starts.add(text.length());
    int lines = starts.size() - 1;
    List<int[]> spans = new ArrayList<>();
    int from = 0;
    int lastCut = -1; // a definition start inside the current chunk where it may be closed
    for (int line = 1; line <= lines; line++) {
      boolean full = line - from >= codeLines;
      if (line < lines && cut.get(line) && line > from) {
        lastCut = line;
      }
      if (full) {
        int to = lastCut > from ? lastCut : line; // prefer a definition boundary
        spans.add(new int[] {starts.get(from), starts.get(to)});
        from = to;
        lastCut = -1;
      }
    }
    if (from < lines || spans.isEmpty()) {
      if (!spans.isEmpty() && lines - from < codeLines / 4) {
        spans.get(spans.size() - 1)[1] = text.length();
      } else {
        spans.add(new int[] {starts.get(Math.min(from, lines)), text.length()});
      }
    }
    return spans;
  }
}
