package io.sluice.bench;

import io.sluice.filtering.rules.RuleSet;
import io.sluice.filtering.score.QualityModel;
import io.sluice.filtering.signals.Signals;
import io.sluice.filtering.signals.Words;
import io.sluice.ingest.langid.LanguageIdentifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./bench filter}: quality-signal throughput per core on the shared corpora — web text (the
 * extracted trafilatura and Debian handbook pages) and source code (the 14 code packs) — for
 * signals + rules, and signals + rules + learned score. The in-run anchor is the floor of any such
 * filter: splitting the same texts into lines and words and nothing else. Published anchors (NeMo
 * Curator, datatrove) are in BENCHMARKS.md.
 */
public final class FilterBenchmark {

  private static final int ROUNDS = 5;

  private FilterBenchmark() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path data = SharedData.root();
    out.println(Report.header(data));
    System.err.println("filter: loading and extracting pages");
    List<String> pages =
        new ArrayList<>(
            SharedData.jsonlField(
                data.resolve("web/html-extraction/trafilatura-eval-shared.jsonl.gz"), "html"));
    pages.addAll(
        SharedData.jsonlField(
            data.resolve("web/multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz"),
            "html"));
    List<String> web = new Extraction(pages, "").extractAll();
    LanguageIdentifier langid = LanguageIdentifier.shared();
    List<String> langs = web.stream().map(t -> langid.identify(t).lang()).toList();
    List<String> code = new ArrayList<>();
    List<String> codeLangs = new ArrayList<>();
    for (Path f : SharedData.files(data.resolve("code"), "code-*.jsonl.gz")) {
      List<String> texts = SharedData.jsonlField(f, "text");
      String lang = f.getFileName().toString().replace("code-", "").replace(".jsonl.gz", "");
      code.addAll(texts);
      texts.forEach(t -> codeLangs.add(lang));
    }
    RuleSet rules = RuleSet.defaults();
    QualityModel model = QualityModel.bundled();
    long webBytes = utf8(web);
    long codeBytes = utf8(code);
    String webNotes =
        String.format(Locale.ROOT, "MB of extracted web text (UTF-8), %d documents", web.size());
    String codeNotes =
        String.format(
            Locale.ROOT, "MB of source code (UTF-8), %d files in 14 languages", code.size());
    List<Workload> webLoads =
        List.of(
            new Workload(
                "filter web",
                "signals + rules",
                webBytes,
                1,
                webNotes,
                () -> signals(web, langs, "web", rules, null)),
            new Workload(
                "filter web",
                "signals + rules + score",
                webBytes,
                1,
                webNotes,
                () -> signals(web, langs, "web", rules, model)),
            new Workload(
                "filter web",
                "split lines + words only (anchor)",
                webBytes,
                1,
                webNotes,
                () -> split(web)));
    List<Workload> codeLoads =
        List.of(
            new Workload(
                "filter code",
                "signals + rules",
                codeBytes,
                1,
                codeNotes,
                () -> signals(code, codeLangs, "code", rules, null)),
            new Workload(
                "filter code",
                "signals + rules + score",
                codeBytes,
                1,
                codeNotes,
                () -> signals(code, codeLangs, "code", rules, model)),
            new Workload(
                "filter code",
                "split lines + words only (anchor)",
                codeBytes,
                1,
                codeNotes,
                () -> split(code)));
    System.err.println("filter: web");
    List<Passes.Result> results = new ArrayList<>(Passes.sideBySide(2, ROUNDS, webLoads));
    System.err.println("filter: code");
    results.addAll(Passes.sideBySide(2, ROUNDS, codeLoads));
    out.println(Report.table(results));
  }

  private static long signals(
      List<String> texts, List<String> langs, String kind, RuleSet rules, QualityModel model) {
    long kept = 0;
    for (int i = 0; i < texts.size(); i++) {
      double[] v = Signals.of(texts.get(i), kind, langs.get(i));
      boolean pass = rules.failures(kind, langs.get(i), v).isEmpty();
      double score = model == null ? 0 : model.score(v, texts.get(i));
      if (pass && score >= 0) {
        kept++;
      }
    }
    Passes.consume(kept);
    return texts.size();
  }

  private static long split(List<String> texts) {
    long n = 0;
    for (String t : texts) {
      n += t.split("\n", -1).length + Words.split(t).size();
    }
    Passes.consume(n);
    return texts.size();
  }

  private static long utf8(List<String> texts) {
    long b = 0;
    for (String t : texts) {
      b += t.getBytes(StandardCharsets.UTF_8).length;
    }
    return b;
  }
}
