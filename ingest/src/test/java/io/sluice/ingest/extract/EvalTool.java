package io.sluice.ingest.extract;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Developer tool (not a test): scores the extractor on the shared set, dumps per-page misses, and
 * measures single-thread throughput. Usage: {@code EvalTool eval [dumpDir] | bench [seconds]}.
 */
final class EvalTool {
  private EvalTool() {}

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "eval";
    if (mode.equals("sanity")) {
      sanity(System.out);
      return;
    }
    List<EvalCorpus.Page> pages = EvalCorpus.trafilaturaPages();
    HtmlExtractor extractor = new HtmlExtractor();
    PrintStream out = System.out;
    if (mode.equals("eval")) {
      Path dump = args.length > 1 ? Path.of(args[1]) : null;
      report(out, "extractor", pages, extractor::extract, dump);
      report(
          out,
          "everything (body text)",
          pages,
          h -> {
            Document d = Jsoup.parse(h);
            return d.body() == null ? "" : d.body().text();
          },
          null);
      report(out, "everything (raw html)", pages, h -> h, null);
    } else if (mode.equals("bench")) {
      double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
      long bytes = 0;
      for (EvalCorpus.Page p : pages) {
        bytes += p.html().getBytes(StandardCharsets.UTF_8).length;
      }
      Function<String, Object> parseText = h -> Jsoup.parse(h).body().text();
      Function<String, Object> extract = extractor::extract;
      Function<String, Object> parseOnly = Jsoup::parse;
      for (int round = 0; round < 4; round++) {
        bench(out, "jsoup parse+body.text()", pages, bytes, parseText, seconds);
        bench(out, "jsoup parse only", pages, bytes, parseOnly, seconds);
        bench(out, "HtmlExtractor.extract", pages, bytes, extract, seconds);
      }
    }
  }

  private static void report(
      PrintStream out,
      String name,
      List<EvalCorpus.Page> pages,
      Function<String, String> fn,
      Path dump)
      throws IOException {
    ExtractionScore total = new ExtractionScore(0, 0, 0, 0);
    StringBuilder misses = new StringBuilder();
    int i = 0;
    for (EvalCorpus.Page p : pages) {
      String text = fn.apply(p.html());
      ExtractionScore s = ExtractionScore.of(text, p.goldWith(), p.goldWithout());
      total = total.plus(s);
      if (dump != null && (s.falseNegatives() > 0 || s.falsePositives() > 0)) {
        String norm = ExtractionScore.normalize(text);
        misses.append(
            String.format(
                "#%d %s  len=%d FN=%d FP=%d%n",
                i, p.url(), norm.length(), s.falseNegatives(), s.falsePositives()));
        for (String w : p.goldWith()) {
          if (!norm.contains(ExtractionScore.normalize(w))) {
            misses.append("   MISSING: ").append(w).append('\n');
          }
        }
        for (String w : p.goldWithout()) {
          if (norm.contains(ExtractionScore.normalize(w))) {
            misses.append("   UNWANTED: ").append(w).append('\n');
          }
        }
        Files.writeString(dump.resolve(i + ".txt"), p.url() + "\n\n" + text);
      }
      i++;
    }
    out.printf(
        "%-28s P=%.4f R=%.4f F1=%.4f  (tp=%d fp=%d fn=%d tn=%d)%n",
        name,
        total.precision(),
        total.recall(),
        total.f1(),
        total.truePositives(),
        total.falsePositives(),
        total.falseNegatives(),
        total.trueNegatives());
    if (dump != null) {
      Files.writeString(dump.resolve("misses.txt"), misses);
    }
  }

  /** Character-bigram bag overlap with reference texts of the Chinese and readability sets. */
  private static void sanity(PrintStream out) throws IOException {
    HtmlExtractor extractor = new HtmlExtractor();
    Path dir = EvalCorpus.sharedDataDir().resolve("web/html-extraction");
    for (String[] set :
        new String[][] {
          {"chinese-web-content-extraction.jsonl.gz", "gold_cleaned_text"},
          {"mozilla-readability-test-pages.jsonl.gz", "expected_readability_html"}
        }) {
      double[] ours = new double[3];
      double[] all = new double[3];
      int n = 0;
      int empty = 0;
      for (com.fasterxml.jackson.databind.JsonNode node :
          EvalCorpus.readLines(dir.resolve(set[0]))) {
        String html = node.path("html").asText();
        String gold = node.path(set[1]).asText();
        if (set[1].endsWith("html")) {
          gold = Jsoup.parse(gold).text();
        }
        String mine = extractor.extract(html);
        if (mine.isEmpty()) {
          empty++;
        }
        Document d = Jsoup.parse(html);
        double r0 = ours[1];
        double a0 = all[1];
        accumulate(ours, mine, gold);
        accumulate(all, d.body() == null ? "" : d.body().text(), gold);
        if (Boolean.getBoolean("verbose") && all[1] - a0 - (ours[1] - r0) > 0.2) {
          out.printf(
              "  #%d recall %.2f vs body %.2f len %d%n",
              n, ours[1] - r0, all[1] - a0, mine.length());
        }
        n++;
      }
      out.printf(
          "%s: %d pages, %d empty; extractor P=%.3f R=%.3f F1=%.3f | body text P=%.3f R=%.3f"
              + " F1=%.3f%n",
          set[0],
          n,
          empty,
          ours[0] / n,
          ours[1] / n,
          ours[2] / n,
          all[0] / n,
          all[1] / n,
          all[2] / n);
    }
  }

  private static void accumulate(double[] acc, String got, String gold) {
    java.util.Map<String, Integer> g = bigrams(gold);
    java.util.Map<String, Integer> o = bigrams(got);
    long common = 0;
    long gs = 0;
    long os = 0;
    for (var e : o.entrySet()) {
      common += Math.min(e.getValue(), g.getOrDefault(e.getKey(), 0));
      os += e.getValue();
    }
    for (int v : g.values()) {
      gs += v;
    }
    double p = os == 0 ? 0 : (double) common / os;
    double r = gs == 0 ? 0 : (double) common / gs;
    acc[0] += p;
    acc[1] += r;
    acc[2] += p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  private static java.util.Map<String, Integer> bigrams(String s) {
    String t = ExtractionScore.normalize(s).replace(" ", "");
    java.util.Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i + 2 <= t.length(); i++) {
      m.merge(t.substring(i, i + 2), 1, Integer::sum);
    }
    return m;
  }

  private static void bench(
      PrintStream out,
      String name,
      List<EvalCorpus.Page> pages,
      long bytes,
      Function<String, Object> fn,
      double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long done = 0;
    int sink = 0;
    int passes = 0;
    while (System.nanoTime() < deadline) {
      for (EvalCorpus.Page p : pages) {
        sink += fn.apply(p.html()).hashCode() & 1;
      }
      done += bytes;
      passes++;
    }
    double el = (System.nanoTime() - start) / 1e9;
    out.printf(
        "%-26s %7.1f MB/s  (%d passes, %.1fs, sink %d)%n", name, done / 1e6 / el, passes, el, sink);
  }
}
