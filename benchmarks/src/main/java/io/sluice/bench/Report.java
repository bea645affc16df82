package io.sluice.bench;

import io.sluice.core.report.TextTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The printed report: a header naming the machine, JDK, commit and date of the run (every recorded
 * result must state them), and the results table. Stateless.
 */
final class Report {

  private Report() {}

  /**
   * The header. The commit comes from the {@code bench.commit} system property, which {@code
   * ./bench} sets from {@code git rev-parse --short HEAD}.
   */
  static String header(Path data) {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "cpu:    %s, %d cores visible to the JVM (load average at start: %s)%n"
            + "jdk:    %s %s (%s), max heap %d MB%n"
            + "commit: %s%n"
            + "date:   %s%n"
            + "data:   %s%n",
        firstLineValue(Path.of("/proc/cpuinfo"), "model name"),
        rt.availableProcessors(),
        firstLineValue(Path.of("/proc/loadavg"), null),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"),
        rt.maxMemory() >> 20,
        System.getProperty("bench.commit", "unknown (run through ./bench to record it)"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        data);
  }

  /** The results table, in the given order. */
  static String table(List<Passes.Result> results) {
    TextTable table =
        new TextTable("phase", "system", "cores", "MB/s/core", "range", "docs/s/core", "notes");
    for (Passes.Result r : results) {
      double[] range = r.mbPerSecondPerCoreRange();
      table.row(
          r.workload().phase(),
          r.workload().system(),
          r.workload().cores(),
          number(r.mbPerSecondPerCore()),
          number(range[0]) + "-" + number(range[1]),
          r.docsPerSecondPerCore() < 0 ? "n/a" : number(r.docsPerSecondPerCore()),
          r.workload().notes());
    }
    return table.render();
  }

  /** Three significant digits or so, with thousands separators. */
  static String number(double x) {
    if (x >= 100) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    return String.format(Locale.ROOT, x >= 10 ? "%.1f" : x >= 1 ? "%.2f" : "%.3f", x);
  }

  /**
   * The value after the colon of the first line starting with {@code key} (the whole first line
   * when {@code key} is null), or "unknown" where the file is missing (not Linux).
   */
  private static String firstLineValue(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (key == null) {
          return line.strip();
        }
        if (line.startsWith(key) && line.contains(":")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      return "unknown (" + file + " not readable)";
    }
    return "unknown";
  }
}
