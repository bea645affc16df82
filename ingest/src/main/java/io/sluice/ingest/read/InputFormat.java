package io.sluice.ingest.read;

import io.sluice.ingest.code.CodeLanguages;
import java.util.Locale;
import java.util.Optional;

/** The kinds of input file ingest reads, told apart by file name. */
public enum InputFormat {
  WARC,
  JSONL,
  PARQUET,
  CODE_ARCHIVE,
  CODE_FILE;

  /** The format of a file by its name, or empty when the name says nothing Sluice reads. */
  public static Optional<InputFormat> fromName(String path) {
    String n = path.toLowerCase(Locale.ROOT);
    if (n.endsWith(".warc")
        || n.endsWith(".warc.gz")
        || n.endsWith(".wet")
        || n.endsWith(".wet.gz")
        || n.endsWith(".warc.wet.gz")
        || n.endsWith(".arc.gz")) {
      return Optional.of(WARC);
    }
    if (n.endsWith(".wat.gz") || n.endsWith(".wat")) {
      return Optional.empty(); // WAT holds metadata, not documents
    }
    if (n.matches(".*\\.(jsonl|ndjson|json)(\\.gz|\\.zst)?$")) {
      return Optional.of(JSONL);
    }
    if (n.endsWith(".parquet")) {
      return Optional.of(PARQUET);
    }
    if (n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".zip")) {
      return Optional.of(CODE_ARCHIVE);
    }
    if (CodeLanguages.isKnownSourceName(path)) {
      return Optional.of(CODE_FILE);
    }
    return Optional.empty();
  }
}
