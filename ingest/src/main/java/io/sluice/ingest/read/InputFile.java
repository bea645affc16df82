package io.sluice.ingest.read;

import java.io.Serializable;
import java.util.Objects;

/**
 * One input file of an ingest run, as listed once on the driver and shipped to a task.
 *
 * @param path fully qualified Hadoop URI ({@code file:/…}, {@code s3a://…})
 * @param displayPath the path as the user gave it (for messages and the quarantine table)
 * @param root the input root it was found under, for relative code paths
 * @param size bytes on storage
 * @param source the corpus name given to its documents unless a record names its own
 * @param start first byte of the range to read (0 for the whole file)
 * @param end end of the range, exclusive, or -1 for the end of the file; a range reads the lines
 *     that start inside it, so ranges of one file together read every line exactly once
 */
public record InputFile(
    String path, String displayPath, String root, long size, InputFormat format, String source, long start, long end)
    implements Serializable {

  /** The whole file. */
  public InputFile(String path, String displayPath, String root, long size, InputFormat format, String source) {
    this(path, displayPath, root, size, format, source, 0, -1);
  }

  public InputFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
  }

  /** True when this is a part of a file rather than the whole of it. */
  public boolean isRange() {
    return start > 0 || end >= 0;
  }

  /** Bytes this input covers: the range, or the whole file. */
  public long bytes() {
    return (end < 0 ? size : Math.min(end, size)) - start;
  }

  /** The path relative to the input root it was found under. */
  public String relativePath() {
    if (root != null && path.startsWith(root) && path.length() > root.length()) {
      String rel = path.substring(root.length());
      return rel.startsWith("/") ? rel.substring(1) : rel;
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
