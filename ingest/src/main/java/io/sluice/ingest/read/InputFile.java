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
 */
public record InputFile(
    String path, String displayPath, String root, long size, InputFormat format, String source)
    implements Serializable {

  public InputFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
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
