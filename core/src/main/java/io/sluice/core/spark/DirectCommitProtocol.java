package io.sluice.core.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.FileNameSpec;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * Spark's file commit protocol for Sluice stage output: tasks write their files straight into the
 * output directory under names fixed by the task's partition ({@code
 * part-00007.c000.zstd.parquet}), with no {@code _temporary} directory and no renames. Names carry
 * no job id, so the same input gives the same file names run after run (a release re-made after a
 * crash lists the same files).
 *
 * <p>Invariant: one write job per directory. Sluice stages write each table into a fresh hidden
 * directory; {@link #setupJob} refuses a directory that already holds files rather than let a
 * second job's files replace the first's.
 *
 * <p>Why this is safe: every Sluice stage writes into a hidden temporary directory that only {@link
 * io.sluice.core.stage.StageOutput#commit} makes visible, after the whole job succeeded; a failed
 * job's directory is deleted whole. Task-level atomicity is then not needed, and a retried or
 * speculative attempt of a task writes the same names, replacing (never adding to) what an earlier
 * attempt wrote. On object stores a file appears whole or not at all.
 *
 * <p>Why it exists: Hadoop's FileOutputCommitter commits by renaming directories, which on S3 is
 * copy-and-delete of every object, and its directory-marker deletes fail on S3-compatible servers
 * that model directories (S3Proxy answers 500). Set by {@link SparkSessions} for every session.
 */
public final class DirectCommitProtocol extends FileCommitProtocol implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String path;

  /** Files this task attempt created, to delete if it aborts. Only used on executors. */
  private transient List<Path> created;

  /** The signature Spark instantiates commit protocols with; the job id is not needed. */
  public DirectCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
    if (dynamicPartitionOverwrite) {
      throw new IllegalArgumentException(
          "dynamic partition overwrite is not supported by " + getClass().getSimpleName());
    }
    this.path = path;
  }

  @Override
  public void setupJob(JobContext job) {
    Path dir = new Path(path);
    try {
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(job.getConfiguration());
      if (fs.exists(dir) && fs.listFiles(dir, true).hasNext()) {
        throw new IllegalStateException(
            dir + " already holds files; Sluice writes each table into a fresh directory");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + dir + " before writing", e);
    }
  }

  @Override
  public void commitJob(JobContext job, Seq<TaskCommitMessage> taskCommits) {
    // nothing: files are in place; the stage commit makes them visible
  }

  @Override
  public void abortJob(JobContext job) {
    // nothing: the stage abort deletes the whole temporary directory
  }

  @Override
  public void setupTask(TaskAttemptContext task) {
    created = new ArrayList<>();
  }

  @Override
  public String newTaskTempFile(TaskAttemptContext task, Option<String> dir, String ext) {
    return newTaskTempFile(task, dir, new FileNameSpec("", ext));
  }

  @Override
  public String newTaskTempFile(TaskAttemptContext task, Option<String> dir, FileNameSpec spec) {
    int split = task.getTaskAttemptID().getTaskID().getId();
    String name = String.format("%spart-%05d%s", spec.prefix(), split, spec.suffix());
    Path parent = dir.isDefined() ? new Path(path, dir.get()) : new Path(path);
    Path file = new Path(parent, name);
    if (created == null) {
      created = new ArrayList<>();
    }
    created.add(file);
    return file.toString();
  }

  @Override
  public String newTaskTempFileAbsPath(TaskAttemptContext task, String absoluteDir, String ext) {
    throw new UnsupportedOperationException(
        "custom partition locations are not used by Sluice stages: " + absoluteDir);
  }

  @Override
  public TaskCommitMessage commitTask(TaskAttemptContext task) {
    return new TaskCommitMessage(created == null ? 0 : created.size());
  }

  @Override
  public void abortTask(TaskAttemptContext task) {
    if (created == null) {
      return;
    }
    for (Path p : created) {
      try {
        p.getFileSystem(task.getConfiguration()).delete(p, false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + p + " of an aborted task", e);
      }
    }
  }
}
