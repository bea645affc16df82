package io.sluice.ingest.read;

import io.sluice.core.doc.Quarantined;
import io.sluice.core.stage.HadoopPaths;
import io.sluice.core.storage.Compression;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads one {@link InputFile} of any supported format into a {@link RecordSink}. This is what an
 * ingest task runs per file. I/O failures part-way (truncated compression, a connection lost)
 * become a quarantined record naming the file and reason; what was read before is kept.
 *
 * <p>Serializable so Spark can ship it to executors; holds only configuration.
 */
public final class InputFileReader implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ReadLimits limits;

  public InputFileReader(ReadLimits limits) {
    this.limits = limits;
  }

  public void read(InputFile file, Configuration conf, RecordSink sink) {
    String name = file.displayPath();
    if (file.size() == 0) {
      sink.skipped("empty_file");
      return;
    }
    Path path = HadoopPaths.of(file.path());
    try {
      switch (file.format()) {
        case PARQUET -> new ParquetDocumentReader(file.source()).read(path, conf, name, sink);
        case WARC -> new WarcRecordReader(limits, file.source()).read(offset -> open(path, conf, offset), name, sink);
        case JSONL -> {
          if (file.isRange()) {
            readJsonlRange(file, path, conf, name, sink);
          } else if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
            GzipRecords.read(
                () -> open(path, conf),
                name,
                sink,
                (in, s) -> new JsonlReader(limits, file.source()).read(in, name, s));
          } else {
            try (InputStream in = Compression.decompress(open(path, conf), name)) {
              new JsonlReader(limits, file.source()).read(in, name, sink);
            }
          }
        }
        case CODE_ARCHIVE -> {
          try (InputStream in = open(path, conf)) {
            new CodeReader(limits, file.source()).readArchive(in, name, sink);
          }
        }
        case CODE_FILE -> {
          try (InputStream in = open(path, conf)) {
            new CodeReader(limits, file.source()).readFile(in, name, file.relativePath(), sink);
          }
        }
      }
    } catch (EOFException | ZipException e) {
      sink.quarantine(
          new Quarantined(
              name,
              -1,
              -1,
              "truncated_input",
              "input ends early or is corrupt ("
                  + e.getMessage()
                  + "); records before the damage were kept",
              ""));
    } catch (IOException | RuntimeException e) {
      sink.quarantine(
          new Quarantined(
              name,
              -1,
              -1,
              "read_error",
              e.getClass().getSimpleName() + ": " + e.getMessage(),
              ""));
    }
  }

  /**
   * Reads the lines that start inside the range: a range that starts mid-file first skips the
   * line straddling its start (the previous range reads it), exactly as Hadoop's line reader does.
   */
  private void readJsonlRange(InputFile file, Path path, Configuration conf, String name, RecordSink sink)
      throws IOException {
    long from = Math.max(0, file.start() - 1);
    try (InputStream in = open(path, conf, from)) {
      long skipped = 0;
      if (file.start() > 0) {
        int b;
        while ((b = in.read()) >= 0) {
          skipped++;
          if (b == '\n') {
            break;
          }
        }
      }
      long base = from + skipped;
      long end = file.end() < 0 ? Long.MAX_VALUE : file.end();
      new JsonlReader(limits, file.source()).read(in, name, base, end - base, file.start() > 0, sink);
    }
  }

  private static InputStream open(Path path, Configuration conf) throws IOException {
    return open(path, conf, 0);
  }

  private static InputStream open(Path path, Configuration conf, long offset) throws IOException {
    org.apache.hadoop.fs.FSDataInputStream in = path.getFileSystem(conf).open(path);
    if (offset > 0) {
      in.seek(offset);
    }
    return new BufferedInputStream(in, 1 << 16);
  }
}
