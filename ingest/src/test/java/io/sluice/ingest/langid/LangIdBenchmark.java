package io.sluice.ingest.langid;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Developer tool: accuracy and single-thread throughput of {@link LanguageIdentifier} vs Lingua on
 * the translated handbook pages, side by side in one JVM. Run with {@code -Xmx3g}: {@code java
 * -Xmx3g -cp <test classpath> io.sluice.ingest.langid.LangIdBenchmark [lingua-pages]}.
 */
public final class LangIdBenchmark {
  private LangIdBenchmark() {}

  public static void main(String[] args) throws Exception {
    int linguaPages = args.length > 0 ? Integer.parseInt(args[0]) : Integer.MAX_VALUE;
    List<SharedCorpora.Page> pages = new ArrayList<>();
    for (SharedCorpora.Page p : SharedCorpora.handbook(SharedCorpora.root(), t -> true)) {
      if (p.translated()) {
        pages.add(p);
      }
    }
    long t0 = System.nanoTime();
    LanguageIdentifier id = LanguageIdentifier.load();
    System.out.printf(
        Locale.ROOT, "sluice model loaded in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    List<String> full = pages.stream().map(SharedCorpora.Page::text).toList();
    List<String> prefix =
        pages.stream().map(p -> p.text().substring(0, Math.min(2000, p.text().length()))).toList();
    List<String> sampled = pages.stream().map(p -> sampleText(p.text())).toList();
    for (int i = 0; i < 3; i++) { // warm-up
      run("warm-up", pages, full, t -> id.identify(t).lang());
    }
    run("sluice full pages", pages, full, t -> id.identify(t).lang());
    run("sluice 2000-char prefixes", pages, prefix, t -> id.identify(t).lang());
    run("sluice sampled windows", pages, sampled, t -> id.identify(t).lang());

    int n = Math.min(linguaPages, pages.size());
    List<SharedCorpora.Page> some = pages.subList(0, n);
    LanguageDetector low = LanguageDetectorBuilder.fromAllLanguages().withLowAccuracyMode().build();
    Function<String, String> lowFn = t -> iso(low.detectLanguageOf(t));
    run(
        "lingua-low warm-up",
        some.subList(0, Math.min(100, n)),
        prefix.subList(0, Math.min(100, n)),
        lowFn);
    run("lingua-low 2000-char prefixes", some, prefix.subList(0, n), lowFn);
    run("lingua-low sampled windows", some, sampled.subList(0, n), lowFn);
    LanguageDetector high =
        LanguageDetectorBuilder.fromAllLanguages().withPreloadedLanguageModels().build();
    Function<String, String> highFn = t -> iso(high.detectLanguageOf(t));
    run(
        "lingua-high warm-up",
        some.subList(0, Math.min(100, n)),
        prefix.subList(0, Math.min(100, n)),
        highFn);
    run("lingua-high 2000-char prefixes", some, prefix.subList(0, n), highFn);
    run("lingua-high sampled windows", some, sampled.subList(0, n), highFn);
    // ours again, after Lingua, to show the machine did not change speed under us
    run("sluice sampled windows (again)", pages, sampled, t -> id.identify(t).lang());
  }

  /** The text our identifier actually scores, windows joined by a space. */
  static String sampleText(String text) {
    int[] b = Sampler.windows(text);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < b.length; i += 2) {
      sb.append(text, b[i], b[i + 1]).append(' ');
    }
    return sb.toString();
  }

  static String iso(Language l) {
    return l == Language.UNKNOWN ? "und" : l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }

  /**
   * One pass (Lingua) or the best of {@code repeats} passes (ours). Throughput is reported against
   * the calling thread's CPU time as well as wall time, because this machine's cores are shared and
   * wall time swings with other people's builds; CPU time is the per-core figure.
   */
  private static void run(
      String label,
      List<SharedCorpora.Page> pages,
      List<String> texts,
      Function<String, String> fn) {
    run(label, pages, texts, fn, label.startsWith("sluice") ? 5 : 1);
  }

  private static void run(
      String label,
      List<SharedCorpora.Page> pages,
      List<String> texts,
      Function<String, String> fn,
      int repeats) {
    long bytes = 0;
    for (String t : texts) {
      bytes += t.getBytes(StandardCharsets.UTF_8).length;
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long bestWall = Long.MAX_VALUE;
    long bestCpu = Long.MAX_VALUE;
    int ok = 0;
    StringBuilder misses = new StringBuilder();
    for (int rep = 0; rep < repeats; rep++) {
      ok = 0;
      misses.setLength(0);
      long w0 = System.nanoTime();
      long c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < texts.size(); i++) {
        String got = fn.apply(texts.get(i));
        if (got.equals(pages.get(i).expected())) {
          ok++;
        } else {
          misses.append(' ').append(pages.get(i).tag()).append("->").append(got);
        }
      }
      bestCpu = Math.min(bestCpu, mx.getCurrentThreadCpuTime() - c0);
      bestWall = Math.min(bestWall, System.nanoTime() - w0);
    }
    double mb = bytes / 1e6;
    System.out.printf(
        Locale.ROOT,
        "%-32s pages=%d acc=%.4f %.1f MB: %.2f MB/s per CPU-second, %.2f MB/s wall%n"
            + "   misses:%s%n",
        label,
        texts.size(),
        (double) ok / texts.size(),
        mb,
        mb / (bestCpu / 1e9),
        mb / (bestWall / 1e9),
        misses);
  }
}
