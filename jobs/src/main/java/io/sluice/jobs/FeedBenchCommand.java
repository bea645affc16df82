package io.sluice.jobs;

import io.sluice.feeder.FeedBench;
import io.sluice.feeder.Layout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice feed-bench}: the feeder and a plain Flight stream, side by side on loopback. */
@Command(
    name = "feed-bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmark the feeder on loopback (dp × sp client streams) beside a plain Flight stream;"
            + " prints tokens/s, MB/s and time to first batch.")
public final class FeedBenchCommand implements Callable<Integer> {

  @Mixin FeederOptions feeder;

  @Option(
      names = "--seq-len",
      defaultValue = "1048576",
      description = "tokens per sequence (default: ${DEFAULT-VALUE})")
  int seqLen;

  @Option(
      names = "--sp",
      defaultValue = "8",
      description = "sequence-parallel size (default: ${DEFAULT-VALUE})")
  int sp;

  @Option(
      names = "--dp",
      defaultValue = "2",
      description = "data-parallel size (default: ${DEFAULT-VALUE})")
  int dp;

  @Option(
      names = "--layout",
      defaultValue = "contiguous",
      description = "contiguous or zigzag (default: ${DEFAULT-VALUE})")
  String layout;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "how long each side streams (default: ${DEFAULT-VALUE})")
  double seconds;

  @Override
  public Integer call() throws Exception {
    FeedBench.Options o =
        new FeedBench.Options(
            feeder.release,
            seqLen,
            sp,
            dp,
            Layout.parse(layout),
            seconds,
            feeder.server("127.0.0.1", 0));
    FeedBench.print(o, FeedBench.run(o, System.err), System.out);
    return 0;
  }
}
