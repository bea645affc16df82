package io.sluice.bench;

import io.sluice.core.doc.Quarantined;
import io.sluice.ingest.DocumentBuilder;
import io.sluice.ingest.extract.HtmlExtractor;
import io.sluice.ingest.langid.LanguageIdentifier;
import io.sluice.ingest.read.InputFile;
import io.sluice.ingest.read.InputFileReader;
import io.sluice.ingest.read.InputLister;
import io.sluice.ingest.read.RawDocument;
import io.sluice.ingest.read.ReadLimits;
import io.sluice.ingest.read.RecordSink;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Sluice's ingest path on one thread without Spark: input files (read through Hadoop's local file
 * system, as a Spark task reads them) → {@link InputFileReader} → {@link DocumentBuilder} →
 * documents, with quarantined and skipped records counted. What one {@code IngestJob} task does,
 * minus the row conversion and the Parquet writing.
 *
 * <p>One instance holds one extractor and one identifier, loaded once, as a long-lived worker
 * would. Not thread-safe.
 */
final class EndToEnd {

  /** What one pass produced. */
  record Counts(long documents, long quarantined, long skipped) {}

  private final List<InputFile> files;
  private final int repeats;
  private final Configuration conf = new Configuration();
  private final InputFileReader reader = new InputFileReader(ReadLimits.DEFAULT);
  private final DocumentBuilder builder =
      new DocumentBuilder(new HtmlExtractor(), LanguageIdentifier.load());
  private final double[] fileSeconds;
  private Counts last = new Counts(0, 0, 0);

  /**
   * @param inputs input files or directories, as {@code sluice ingest --input} takes them
   * @param repeats how many times one pass reads all of them
   */
  EndToEnd(List<String> inputs, int repeats) throws IOException {
    this.files = InputLister.list(inputs, null, null, conf).files();
    this.repeats = repeats;
    this.fileSeconds = new double[files.size()];
  }

  /** Stored size of the input files, once. */
  long storedBytes() {
    return files.stream().mapToLong(InputFile::size).sum();
  }

  int fileCount() {
    return files.size();
  }

  /** The counts of the last pass. */
  Counts lastCounts() {
    return last;
  }

  /**
   * The file that took longest in the last pass, and its share of the time of all files, e.g.
   * {@code "code-go.jsonl.gz", 0.2}.
   */
  Map.Entry<String, Double> slowestFile() {
    double total = 0;
    int slowest = 0;
    for (int i = 0; i < fileSeconds.length; i++) {
      total += fileSeconds[i];
      slowest = fileSeconds[i] > fileSeconds[slowest] ? i : slowest;
    }
    String name = files.get(slowest).displayPath();
    return Map.entry(name.substring(name.lastIndexOf('/') + 1), fileSeconds[slowest] / total);
  }

  /** Reads every file {@code repeats} times; returns the documents built. */
  long pass() {
    long[] counts = new long[3];
    long[] chars = new long[1];
    RecordSink sink =
        new RecordSink() {
          @Override
          public void document(RawDocument raw) {
            DocumentBuilder.Outcome outcome = builder.build(raw);
            if (outcome.document() != null) {
              counts[0]++;
              chars[0] += outcome.document().text().length();
            } else {
              counts[1]++;
            }
          }

          @Override
          public void quarantine(Quarantined record) {
            counts[1]++;
          }

          @Override
          public void skipped(String what) {
            counts[2]++;
          }
        };
    Arrays.fill(fileSeconds, 0);
    for (int r = 0; r < repeats; r++) {
      for (int i = 0; i < files.size(); i++) {
        long t0 = System.nanoTime();
        reader.read(files.get(i), conf, sink);
        fileSeconds[i] += (System.nanoTime() - t0) / 1e9;
      }
    }
    Passes.consume(chars[0]);
    last = new Counts(counts[0], counts[1], counts[2]);
    return counts[0];
  }
}
