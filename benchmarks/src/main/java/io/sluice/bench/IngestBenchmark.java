package io.sluice.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./bench ingest}: ingest throughput per core on the shared data, each phase beside its
 * anchor in the same run, single-threaded unless the row says otherwise:
 *
 * <ol>
 *   <li>parse: gzip WARC to records with bodies read ({@link WarcParsing});
 *   <li>extract: HTML main text vs jsoup's all-text ({@link Extraction});
 *   <li>langid: Sluice's identifier vs Lingua ({@link LanguageId});
 *   <li>end to end: WARC files to documents through Sluice's reader and document builder, no Spark
 *       ({@link EndToEnd});
 *   <li>spark: the {@code IngestJob} under {@code local[1]} and {@code local[2]} vs the same inputs
 *       on one thread ({@link SparkIngest}).
 * </ol>
 *
 * Each row is the median of several measured passes after untimed warm-up passes; progress goes to
 * stderr, the report to stdout. Takes about three minutes on two cores.
 */
public final class IngestBenchmark {

  /** Measured passes of the single-thread phases. */
  private static final int ROUNDS = 5;

  /** Times one pass reads the WARC files end to end (about 25 MB stored per pass). */
  private static final int WARC_REPEATS = 40;

  private static final long START = System.nanoTime();

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !args[0].equals("ingest")) {
      System.err.println("usage: IngestBenchmark ingest   (got " + String.join(" ", args) + ")");
      System.exit(2);
    }
    PrintStream out = System.out;
    Path data = SharedData.root();
    out.println(Report.header(data));
    List<Passes.Result> results = new ArrayList<>();

    List<Path> warcs = SharedData.files(data.resolve("web/warc"), "*.warc.gz");
    progress("parse: %d WARC files", warcs.size());
    WarcParsing parsing = new WarcParsing(warcs);
    results.addAll(Passes.sideBySide(2, ROUNDS, parsing.workloads()));

    progress("extract: loading HTML");
    Path trafilatura = data.resolve("web/html-extraction/trafilatura-eval-shared.jsonl.gz");
    List<String> pages = new ArrayList<>(SharedData.jsonlField(trafilatura, "html"));
    pages.addAll(
        SharedData.jsonlField(
            data.resolve("web/multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz"),
            "html"));
    Extraction extraction = new Extraction(pages, "trafilatura set + Debian handbook");
    List<String> texts = extraction.extractAll();
    progress(
        "extract: %d pages, %.0f MB; %d warm-up passes",
        pages.size(), extraction.htmlBytes() / 1e6, Extraction.WARMUPS);
    results.addAll(Passes.sideBySide(Extraction.WARMUPS, ROUNDS, extraction.workloads()));

    progress("langid");
    LanguageId languageId = new LanguageId(texts);
    results.addAll(Passes.sideBySide(3, ROUNDS, List.of(languageId.wholeTexts())));
    results.addAll(Passes.sideBySide(1, 3, languageId.prefixWorkloads()));

    progress("end to end: WARC files to documents");
    results.add(endToEndWarc(warcs, parsing.inflatedBytes()));

    List<String> sparkInputs = new ArrayList<>(List.of(trafilatura.toString()));
    long stored = trafilatura.toFile().length();
    long raw = SharedData.gunzippedSize(trafilatura);
    for (Path code : SharedData.files(data.resolve("code"), "code-*.jsonl.gz")) {
      sparkInputs.add(code.toString());
      stored += code.toFile().length();
      raw += SharedData.gunzippedSize(code);
    }
    SparkIngest spark =
        new SparkIngest(
            sparkInputs,
            raw,
            String.format(
                Locale.ROOT,
                "MB of JSONL uncompressed (%.0f MB; %.0f MB gzip): trafilatura html + %d code"
                    + " files",
                raw / 1e6,
                stored / 1e6,
                sparkInputs.size() - 1));
    for (int cores : new int[] {1, 2}) {
      progress(
          "spark: IngestJob local[%d], %d warm-up + %d measured passes",
          cores, SparkIngest.WARMUPS, SparkIngest.ROUNDS);
      List<Passes.Result> measured = spark.measure(cores);
      results.addAll(measured);
      if (measured.get(0).docs() != spark.oneThreadCounts().documents()) {
        out.printf(
            "WARNING: IngestJob local[%d] wrote %d documents, the one-thread path built %d%n",
            cores, measured.get(0).docs(), spark.oneThreadCounts().documents());
      }
    }
    progress("done");

    out.println(Report.table(results));
    out.println("Where the Spark job's time goes:");
    out.print(spark.evidence());
  }

  private static Passes.Result endToEndWarc(List<Path> warcs, long inflatedBytes) throws Exception {
    EndToEnd e2e = new EndToEnd(warcs.stream().map(Path::toString).toList(), WARC_REPEATS);
    e2e.pass();
    EndToEnd.Counts c = e2e.lastCounts();
    String notes =
        String.format(
            Locale.ROOT,
            "MB of gzip WARC as stored, %d files (%.2f MB inflated) read %d times per pass; per"
                + " read: %d documents, %d quarantined, %d records skipped",
            e2e.fileCount(),
            inflatedBytes / 1e6,
            WARC_REPEATS,
            c.documents() / WARC_REPEATS,
            c.quarantined() / WARC_REPEATS,
            c.skipped() / WARC_REPEATS);
    Workload w =
        new Workload(
            "end to end",
            "InputFileReader + DocumentBuilder",
            e2e.storedBytes() * WARC_REPEATS,
            1,
            notes,
            e2e::pass);
    return Passes.sideBySide(1, ROUNDS, List.of(w)).get(0);
  }

  private static void progress(String format, Object... args) {
    System.err.printf(
        Locale.ROOT,
        "[%5.0fs] %s%n",
        (System.nanoTime() - START) / 1e9,
        String.format(Locale.ROOT, format, args));
  }
}
