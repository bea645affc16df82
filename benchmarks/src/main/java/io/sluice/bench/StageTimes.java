package io.sluice.bench;

import io.sluice.core.report.TextTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Records each completed Spark stage (tasks, wall time, summed task run, CPU and GC time) so a run
 * can show where its time went. Spark calls the listener from its listener-bus thread, after the
 * fact: wait for the bus to drain before reading. Thread-safe.
 */
final class StageTimes extends SparkListener {

  /** One completed stage; times in seconds. */
  record Stage(
      int id, String name, int tasks, double wall, double taskRun, double taskCpu, double gc) {}

  private final List<Stage> stages = new ArrayList<>();

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
    StageInfo info = event.stageInfo();
    double wall =
        info.submissionTime().isDefined() && info.completionTime().isDefined()
            ? ((Long) info.completionTime().get() - (Long) info.submissionTime().get()) / 1e3
            : Double.NaN;
    TaskMetrics m = info.taskMetrics();
    stages.add(
        new Stage(
            info.stageId(),
            info.name(),
            info.numTasks(),
            wall,
            m.executorRunTime() / 1e3,
            m.executorCpuTime() / 1e9,
            m.jvmGCTime() / 1e3));
  }

  synchronized void clear() {
    stages.clear();
  }

  /** The stages as a table, in completion order. */
  synchronized String render() {
    TextTable table =
        new TextTable("stage", "call site", "tasks", "wall s", "task run s", "task CPU s", "GC s");
    for (Stage s : stages) {
      table.row(s.id(), s.name(), s.tasks(), s.wall(), s.taskRun(), s.taskCpu(), s.gc());
    }
    return table.render();
  }

  /** Wall seconds of all recorded stages added up (stages that overlapped would count twice). */
  synchronized double totalWall() {
    double total = 0;
    for (Stage s : stages) {
      total += s.wall();
    }
    return total;
  }
}
