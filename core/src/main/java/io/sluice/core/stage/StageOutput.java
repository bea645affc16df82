package io.sluice.core.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
 * <p>Nothing committed is lost: a forced re-run keeps the old output in place until its own output
 * is complete, and only then swaps the two (the old one is moved aside to a hidden {@code
 * .<name>.old-<run>} first and deleted last; a run that dies between the two moves leaves it there,
 * and the next run puts it back). A directory that holds anything but a Sluice stage is never
 * deleted, and an input inside the output is refused before anything is touched.
 *
 * <p>Not thread-safe: one instance belongs to one stage run on the driver.
 */
public final class StageOutput {

  public static final String SUCCESS = "_SUCCESS";
  public static final String STATS = "stats.json";

  /** Timings of the run that made the output; not part of a release. */
  public static final String RUN = "run.json";

  /** Infix of a replaced output moved aside during a forced commit. */
  private static final String OLD = ".old-";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Path tmp;
  private final Path old;
  private final FileSystem fs;

  /**
   * @param dir the stage output directory, as a Hadoop path or URI ({@link HadoopPaths#of})
   */
  public StageOutput(String dir, Configuration conf) throws IOException {
    this.dir = HadoopPaths.of(dir);
    this.fs = this.dir.getFileSystem(conf);
    fs.setWriteChecksum(false); // no .crc side files next to stats.json and _SUCCESS
    String run = UUID.randomUUID().toString();
    this.tmp = new Path(this.dir.getParent(), "." + this.dir.getName() + ".tmp-" + run);
    this.old = new Path(this.dir.getParent(), "." + this.dir.getName() + OLD + run);
  }

  /** The final directory, as a fully qualified URI string. */
  public String path() {
    return fs.makeQualified(dir).toString();
  }

  public boolean isCommitted() throws IOException {
    return fs.exists(new Path(dir, SUCCESS));
  }

  /**
   * Prepares a run and returns the temporary directory to write into. The existing output, if
   * any, stays untouched until {@link #commit}.
   *
   * @param force replace a committed output at commit; without it a committed output is an error
   *     here (callers check {@link #isCommitted()} first to make re-runs a no-op)
   * @param inputs the paths the run will read, refused when one lies inside the output
   * @throws IllegalStateException if an input lies inside the output; if the directory exists and
   *     force is off; or if it exists, holds something, and is not a committed stage (force or not:
   *     it may be anybody's files)
   */
  public String begin(boolean force, Collection<String> inputs) throws IOException {
    removeStaleTemporaries();
    refuseInputsInside(inputs);
    if (fs.exists(dir)) {
      boolean committed = isCommitted();
      if (!committed && fs.listStatus(dir).length > 0) {
        throw new IllegalStateException(
            "output exists and is not a Sluice stage (no "
                + SUCCESS
                + "), so it is left alone: "
                + path()
                + " (choose another --output, or empty it)");
      }
      if (committed && !force) {
        throw new IllegalStateException(
            "output is already committed: " + path() + " (pass --force to replace it)");
      }
    }
    fs.mkdirs(tmp.getParent());
    return fs.makeQualified(tmp).toString();
  }

  private void refuseInputsInside(Collection<String> inputs) throws IOException {
    Path out = fs.makeQualified(dir);
    for (String input : inputs) {
      Path in = HadoopPaths.of(input);
      in = in.getFileSystem(fs.getConf()).makeQualified(in);
      for (Path p = in; p != null; p = p.getParent()) {
        if (p.equals(out)) {
          throw new IllegalStateException(
              "input "
                  + input
                  + " lies inside the output "
                  + path()
                  + ": the run would replace what it reads (choose another --output)");
        }
      }
    }
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
    boolean replacing = fs.exists(dir);
    if (replacing) {
      move(dir, old);
    }
    move(tmp, dir);
    write(new Path(dir, SUCCESS), "");
    if (replacing) {
      fs.delete(old, true);
    }
  }

  private void move(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException(
          "cannot move " + fs.makeQualified(from) + " to " + fs.makeQualified(to));
    }
  }

  /**
   * Removes what a failed run wrote. Safe to call more than once. Best effort: when the store
   * cannot be reached (the failure being S3 gone), what is left is hidden and the next run's
   * {@link #begin} removes it, so the caller's own error is what the user sees.
   */
  public void abort() throws IOException {
    try {
      removeStaleTemporaries();
    } catch (IOException e) {
      // left for the next run's begin()
    }
  }

  /**
   * On S3, aborts the multipart uploads still pending under this output's temporary prefixes: a
   * writer that died mid-file (a lost connection, S3 gone) leaves its upload open, invisible to
   * listings but stored and billed until aborted. Best effort: when S3 cannot be reached, the next
   * run's {@link #begin} tries again.
   */
  private void abortPendingUploads() {
    if (!(fs instanceof org.apache.hadoop.fs.s3a.S3AFileSystem s3)) {
      return;
    }
    // S3A lists uploads under a directory (it appends '/'), so list the parent's and match the
    // temporaries' name prefix here
    String parent = dir.getParent().isRoot() ? "" : s3.pathToKey(dir.getParent());
    String prefix = s3.pathToKey(new Path(dir.getParent(), "." + dir.getName() + ".tmp-"));
    try {
      for (software.amazon.awssdk.services.s3.model.MultipartUpload u :
          s3.listMultipartUploads(parent)) {
        if (u.key().startsWith(prefix)) {
          s3.abortMultipartUpload(u);
        }
      }
    } catch (IOException | RuntimeException e) {
      // S3 still unreachable: the next run aborts them
    }
  }

  /**
   * Removes the temporary directories of runs that died, and puts back a committed output that a
   * run moved aside but died before moving its own in place.
   */
  private void removeStaleTemporaries() throws IOException {
    abortPendingUploads(); // first: on S3 the parent may hold nothing but such uploads
    Path parent = dir.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String prefix = "." + dir.getName() + ".tmp-";
    for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(prefix))) {
      fs.delete(s.getPath(), true);
    }
    String oldPrefix = "." + dir.getName() + OLD;
    for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(oldPrefix))) {
      if (fs.exists(new Path(s.getPath(), SUCCESS)) && !isCommitted()) {
        // A forced run died between moving the committed output aside and committing its own:
        // what is under the name now is its half-moved output (the name was free after the move
        // aside), and the one moved aside is the last good output.
        if (fs.exists(dir)) {
          fs.delete(dir, true);
        }
        move(s.getPath(), dir);
      } else {
        fs.delete(s.getPath(), true); // the new output committed, or this one never had
      }
    }
  }

  private void write(Path file, String content) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
