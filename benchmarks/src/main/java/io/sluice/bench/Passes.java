package io.sluice.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times workloads side by side: warm-up passes first (untimed, for the JIT), then measured rounds
 * in which every workload runs once, in turn, so that a slow spell of this shared machine hits them
 * all alike. Reports the median pass time with the fastest and slowest pass; no other statistics.
 *
 * <p>Wall-clock time ({@link System#nanoTime()}) of the calling thread's pass. Not thread-safe; one
 * measurement at a time.
 */
final class Passes {

  /** Written by passes so the JIT cannot prove their results unused. */
  private static volatile long sink;

  private Passes() {}

  /** Keeps {@code value} alive; call with something derived from every result of a pass. */
  static void consume(long value) {
    sink += value;
  }

  /**
   * The timing of one workload.
   *
   * @param docs documents per pass, as the pass reported it (-1: not applicable)
   * @param median median seconds per pass
   * @param fastest seconds of the fastest pass
   * @param slowest seconds of the slowest pass
   */
  record Result(Workload workload, long docs, double median, double fastest, double slowest) {

    double mbPerSecondPerCore() {
      return perCoreMb(median);
    }

    /** Throughput of the slowest and the fastest pass, per core. */
    double[] mbPerSecondPerCoreRange() {
      return new double[] {perCoreMb(slowest), perCoreMb(fastest)};
    }

    /** Documents per second per core, or -1 when the workload has no documents. */
    double docsPerSecondPerCore() {
      return docs < 0 ? -1 : docs / median / workload.cores();
    }

    private double perCoreMb(double seconds) {
      return workload.bytes() / 1e6 / seconds / workload.cores();
    }
  }

  /**
   * Runs {@code warmups} untimed rounds, then {@code rounds} timed ones, each workload once per
   * round in the given order.
   */
  static List<Result> sideBySide(int warmups, int rounds, List<Workload> workloads)
      throws Exception {
    if (rounds < 1) {
      throw new IllegalArgumentException("need at least one measured round, got " + rounds);
    }
    for (int i = 0; i < warmups; i++) {
      for (Workload w : workloads) {
        w.pass().run();
      }
    }
    double[][] seconds = new double[workloads.size()][rounds];
    long[] docs = new long[workloads.size()];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < workloads.size(); i++) {
        long t0 = System.nanoTime();
        docs[i] = workloads.get(i).pass().run();
        seconds[i][r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < workloads.size(); i++) {
      double[] s = seconds[i].clone();
      Arrays.sort(s);
      results.add(new Result(workloads.get(i), docs[i], median(s), s[0], s[s.length - 1]));
    }
    return results;
  }

  /** Median of sorted values; the mean of the middle two for an even count. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
