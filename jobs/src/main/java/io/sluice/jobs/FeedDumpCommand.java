package io.sluice.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.feeder.BatchStream;
import io.sluice.feeder.FeedBatch;
import io.sluice.feeder.FeedRequest;
import io.sluice.feeder.FeedState;
import io.sluice.feeder.FeederClient;
import io.sluice.feeder.Layout;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice feed-dump}: one rank's batches from a running feeder, as JSON lines. */
@Command(
    name = "feed-dump",
    mixinStandardHelpOptions = true,
    description =
        "Read K steps of one rank's stream from a feeder and write one JSON line per batch (step,"
            + " state, input_ids, labels, position_ids, cu_seqlens).")
public final class FeedDumpCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "feeder host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8815",
      description = "feeder port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--dp-rank", defaultValue = "0")
  int dpRank;

  @Option(names = "--dp-size", defaultValue = "1")
  int dpSize;

  @Option(names = "--sp-rank", defaultValue = "0")
  int spRank;

  @Option(names = "--sp-size", defaultValue = "1")
  int spSize;

  @Option(names = "--seq-len", required = true, description = "tokens per sequence")
  int seqLen;

  @Option(
      names = "--layout",
      defaultValue = "contiguous",
      description = "contiguous or zigzag (default: ${DEFAULT-VALUE})")
  String layout;

  @Option(names = "--steps", required = true, description = "batches to read")
  long steps;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "seed of the order when not resuming (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--resume",
      paramLabel = "STATE",
      description =
          "a state to resume from: JSON {\"seed\",\"epoch\",\"sequence\"} or a file holding it")
  String resume;

  @Option(names = "--output", required = true, description = "JSON lines file to write")
  Path output;

  @Option(
      names = "--timeout-s",
      defaultValue = "60",
      description =
          "give up when no batch arrives within this many seconds (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description = "key of a feeder started with keys (default: $" + FeedCommand.KEY_ENV + ")")
  String apiKey;

  @Override
  public Integer call() throws Exception {
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
    }
    FeedRequest request =
        new FeedRequest(
            seqLen, Layout.parse(layout), dpRank, dpSize, spRank, spSize, state(), steps, null);
    Path tmp = output.resolveSibling("." + output.getFileName() + ".tmp");
    long n = 0;
    FeedState last = request.state();
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout-s must be at least 1, got " + timeoutSeconds);
    }
    String key = apiKey != null ? apiKey : System.getenv(FeedCommand.KEY_ENV);
    try (FeederClient client =
            FeederClient.connect(host, port, key, Duration.ofSeconds(timeoutSeconds));
        BatchStream batches = client.stream(request);
        BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (FeedBatch b : batches) {
        ObjectNode line = JSON.createObjectNode().put("step", b.step());
        line.put("epoch", b.epoch()).put("sequence", b.sequence());
        line.set("state", JSON.readTree(b.state().toJson()));
        line.set("input_ids", JSON.valueToTree(b.inputIds()));
        line.set("labels", JSON.valueToTree(b.labels()));
        line.set("position_ids", JSON.valueToTree(b.positionIds()));
        line.set("cu_seqlens", JSON.valueToTree(b.cuSeqlens()));
        out.write(line.toString());
        out.write('\n');
        n++;
        last = b.state();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.printf(
        "feed-dump: %d batches to %s; resume with --resume '%s'%n", n, output, last.toJson());
    return 0;
  }

  private FeedState state() throws IOException {
    if (resume == null) {
      return FeedState.start(seed);
    }
    String json = resume.trim().startsWith("{") ? resume : Files.readString(Path.of(resume));
    return FeedState.fromJson(json);
  }
}
