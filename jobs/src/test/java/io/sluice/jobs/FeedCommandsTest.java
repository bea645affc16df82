package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.feeder.FeederServer;
import io.sluice.feeder.TokenShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code feed-dump} against a running feeder, its resume option, and {@code feed-bench}. */
class FeedCommandsTest {
  @TempDir Path dir;

  @Test
  void feedDumpWritesOneLinePerBatchAndResumesWhereItStopped() throws Exception {
    Path tokens = dir.resolve("tokens");
    TokenShards.write(tokens, TokenShards.documents(80, 150, 0, 3), 2);
    try (FeederServer server =
        FeederServer.start(FeederServer.Options.of(tokens.toString(), 0).withHost("127.0.0.1"))) {
      String port = String.valueOf(server.port());
      Path first = dir.resolve("first.jsonl");
      CliRun.Result r =
          CliRun.run(
              "feed-dump",
              "--port",
              port,
              "--seq-len",
              "128",
              "--sp-size",
              "2",
              "--sp-rank",
              "1",
              "--layout",
              "zigzag",
              "--steps",
              "4",
              "--output",
              first.toString());
      assertEquals(0, r.code(), r.err());
      List<String> lines = Files.readAllLines(first);
      assertEquals(4, lines.size());
      ObjectMapper json = new ObjectMapper();
      JsonNode last = json.readTree(lines.get(3));
      assertEquals(3, last.get("step").asInt());
      assertEquals(64, last.get("input_ids").size());
      assertEquals(64, last.get("labels").size());
      assertEquals(64, last.get("position_ids").size());
      assertEquals(0, last.get("cu_seqlens").get(0).asInt());
      assertEquals(4, last.get("state").get("sequence").asInt());

      Path all = dir.resolve("all.jsonl");
      Path resumed = dir.resolve("resumed.jsonl");
      assertEquals(
          0,
          CliRun.run(
                  "feed-dump",
                  "--port",
                  port,
                  "--seq-len",
                  "128",
                  "--steps",
                  "6",
                  "--output",
                  all.toString())
              .code());
      r =
          CliRun.run(
              "feed-dump",
              "--port",
              port,
              "--seq-len",
              "128",
              "--steps",
              "2",
              "--resume",
              last.get("state").toString(),
              "--output",
              resumed.toString());
      assertEquals(0, r.code(), r.err());
      List<String> whole = Files.readAllLines(all);
      List<String> tail = Files.readAllLines(resumed);
      for (int i = 0; i < 2; i++) {
        assertEquals(
            json.readTree(whole.get(4 + i)).get("input_ids"),
            json.readTree(tail.get(i)).get("input_ids"),
            "resumed step " + i + " is step " + (4 + i) + " of the uninterrupted stream");
      }

      r =
          CliRun.run(
              "feed-dump",
              "--port",
              port,
              "--seq-len",
              "100",
              "--sp-size",
              "3",
              "--steps",
              "1",
              "--output",
              dir.resolve("bad.jsonl").toString());
      assertEquals(1, r.code());
      assertTrue(r.err().contains("not divisible by sp_size 3"), r.err());
      assertTrue(Files.notExists(dir.resolve("bad.jsonl")));
    }
  }

  @Test
  void feedCommandServesWhatAFlightReaderAsksFor() throws Exception {
    Path tokens = dir.resolve("tokens");
    TokenShards.write(tokens, TokenShards.documents(60, 120, 0, 3), 2);
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "# feeder keys\nsecret-1\n");
    try (CliProcess feed =
        CliProcess.start(
            dir,
            "feed",
            "--release",
            tokens.toString(),
            "--port",
            "0",
            "--eos-id",
            "0",
            "--api-keys",
            keys.toString())) {
      String port =
          feed.awaitStderr(
              Pattern.compile("feed: serving .* on grpc://127\\.0\\.0\\.1:(\\d+),"),
              Duration.ofSeconds(60));
      assertTrue(feed.err().contains("keys on"), feed.err());
      Path got = dir.resolve("got.jsonl");
      CliRun.Result refused =
          CliRun.run(
              "feed-dump", "--port", port, "--seq-len", "64", "--steps", "1", "--output", got.toString());
      assertEquals(1, refused.code());
      assertTrue(refused.err().contains("needs a key"), refused.err());
      assertTrue(Files.notExists(got));
      CliRun.Result r =
          CliRun.run(
              "feed-dump",
              "--api-key",
              "secret-1",
              "--port",
              port,
              "--seq-len",
              "64",
              "--steps",
              "3",
              "--output",
              got.toString());
      assertEquals(0, r.code(), r.err());
      List<String> lines = Files.readAllLines(got);
      assertEquals(3, lines.size());
      JsonNode first = new ObjectMapper().readTree(lines.get(0));
      assertEquals(64, first.get("input_ids").size());
      assertTrue(feed.isAlive(), "the server keeps serving after a client is done");
      assertEquals(143, feed.stop(Duration.ofSeconds(30)), "SIGTERM ends it: 128 + 15");
      assertFalse(feed.err().contains("secret-1"), "keys are never printed");
    }
  }

  @Test
  void feedRefusesAMetricsPortEqualToItsPortAndNamesABusyPort() throws Exception {
    Path tokens = dir.resolve("tokens");
    TokenShards.write(tokens, TokenShards.documents(10, 50, 0, 3), 1);
    CliRun.Result r =
        CliRun.run(
            "feed", "--release", tokens.toString(), "--port", "18815", "--metrics-port", "18815");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--port and --metrics-port are both 18815"), r.err());
    try (java.net.ServerSocket busy =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(busy.getLocalPort());
      r =
          CliRun.run(
              "feed", "--release", tokens.toString(), "--eos-id", "0", "--port", "0",
              "--metrics-port", port);
      assertEquals(1, r.code());
      assertTrue(r.err().contains("cannot serve metrics on 127.0.0.1:" + port), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }

  @Test
  void feedBenchPrintsBothServersAndTheTimeToFirstBatch() throws Exception {
    Path tokens = dir.resolve("tokens");
    TokenShards.write(tokens, TokenShards.documents(200, 300, 0, 5), 2);
    CliRun.Result r =
        CliRun.run(
            "feed-bench",
            "--release",
            tokens.toString(),
            "--seq-len",
            "4096",
            "--sp",
            "2",
            "--dp",
            "2",
            "--seconds",
            "1",
            "--eos-id",
            "128001");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("sluice feeder"), r.out());
    assertTrue(r.out().contains("plain Flight"), r.out());
    assertTrue(r.out().contains("time to first batch: cold start"), r.out());
  }
}
