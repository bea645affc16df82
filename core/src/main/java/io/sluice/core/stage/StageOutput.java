package io.sluice.core.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output directory of one stage and its commit protocol.
 *
 * <p>A stage writes everything into a hidden sibling {@code .<name>.tmp-<run>} ({@link #begin}) and
 * its {@link #sidecar}s, then {@link #commit} moves it to its final name, and only after that
 * writes {@code _SUCCESS}. A directory is committed iff it holds {@code _SUCCESS}; a run that dies
 * leaves at most a hidden temporary directory, which the next run removes. Works on any Hadoop file
 * system ({@code file:}, {@code s3a:}); on object stores the move is a copy, which is why {@code
 * _SUCCESS} comes last.
 *
 * <p>Not thread-safe: one instance belongs to one stage run on the driver.
 */
public final class StageOutput {

  public static final String SUCCESS = "_SUCCESS";
  public static final String STATS = "stats.json";

  /** Timings of the run that made the output; not part of a release. */
  public static final String RUN = "run.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Path tmp;
  private final FileSystem fs;

  /**
   * @param dir the stage output directory, as a Hadoop path or URI ({@link HadoopPaths#of})
   */
  public StageOutput(String dir, Configuration conf) throws IOException {
    this.dir = HadoopPaths.of(dir);
    this.fs = this.dir.getFileSystem(conf);
    this.tmp =
        new Path(this.dir.getParent(), "." + this.dir.getName() + ".tmp-" + UUID.randomUUID());
  }

  /** The final directory, as a fully qualified URI string. */
  public String path() {
    return fs.makeQualified(dir).toString();
  }

  public boolean isCommitted() throws IOException {
    return fs.exists(new Path(dir, SUCCESS));
  }

  /**
   * Prepares a run and returns the temporary directory to write into.
   *
   * @param force replace a committed output; without it a committed output is an error here
   *     (callers check {@link #isCommitted()} first to make re-runs a no-op)
   * @throws IllegalStateException if the directory exists, is not a committed stage and force is
   *     off
   */
  public String begin(boolean force) throws IOException {
    removeStaleTemporaries();
    if (fs.exists(dir)) {
      if (!force) {
        throw new IllegalStateException(
            (isCommitted()
                    ? "output is already committed: "
                    : "output exists and is not a committed Sluice stage: ")
                + path()
                + " (pass --force to replace it)");
      }
      fs.delete(dir, true);
    }
    fs.mkdirs(tmp.getParent());
    return fs.makeQualified(tmp).toString();
  }

  /**
   * A temporary directory for a table that ends up as {@code <dir>/<name>} (e.g. {@code
   * _quarantine}). It is a sibling of the main temporary directory rather than inside it: Spark
   * writes into a fresh directory each time, which some S3-compatible stores need.
   */
  public String sidecar(String name) {
    return fs.makeQualified(sidecarPath(name)).toString();
  }

  private Path sidecarPath(String name) {
    return new Path(tmp.getParent(), tmp.getName() + "-" + name);
  }

  /**
   * Moves the temporary directory (and the sidecars named) in place, writes {@code stats.json}, and
   * marks it committed.
   *
   * <p>What varies from run to run (fields named {@code elapsed_seconds} or ending in {@code
   * _per_second}) goes to {@value #RUN} instead of {@code stats.json}, so the same input makes the
   * same stats file, and a release re-made after a crash is byte-identical.
   */
  public void commit(String statsJson, String... sidecars) throws IOException {
    ObjectNode stats = (ObjectNode) JSON.readTree(statsJson);
    ObjectNode run = JSON.createObjectNode();
    for (java.util.Iterator<String> it = stats.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (field.equals("elapsed_seconds") || field.endsWith("_per_second")) {
        run.set(field, stats.get(field));
        it.remove();
      }
    }
    write(new Path(tmp, STATS), JSON.writeValueAsString(stats));
    if (!run.isEmpty()) {
      write(new Path(tmp, RUN), JSON.writeValueAsString(run));
    }
    for (String name : sidecars) {
      Path side = sidecarPath(name);
      if (fs.exists(side)) {
        move(side, new Path(tmp, name));
      } else {
        fs.mkdirs(new Path(tmp, name)); // an empty table: Spark wrote no file for zero rows
      }
    }
    if (fs.exists(dir)) {
      fs.delete(dir, true);
    }
    move(tmp, dir);
    write(new Path(dir, SUCCESS), "");
  }

  private void move(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException(
          "cannot move " + fs.makeQualified(from) + " to " + fs.makeQualified(to));
    }
  }

  /** Removes what a failed run wrote. Safe to call more than once. */
  public void abort() throws IOException {
    removeStaleTemporaries();
  }

  private void removeStaleTemporaries() throws IOException {
    Path parent = dir.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String prefix = "." + dir.getName() + ".tmp-";
    for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(prefix))) {
      fs.delete(s.getPath(), true);
    }
  }

  private void write(Path file, String content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
