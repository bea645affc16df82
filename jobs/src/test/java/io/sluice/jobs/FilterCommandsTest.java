package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code filter}, {@code select} and {@code fit} as acceptance checks call them. */
class FilterCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void ingestFilterSelect() throws Exception {
    Path sample = Path.of(System.getProperty("sluice.project.root", "..")).resolve("demo/sample");
    String docs = dir.resolve("documents").toString();
    String scored = dir.resolve("scored").toString();
    assertEquals(0, CliRun.run("ingest", "--input", sample.toString(), "--output", docs).code());
    CliRun.Result filter = CliRun.run("filter", "--input", docs, "--output", scored);
    assertEquals(0, filter.code(), filter.err());
    JsonNode stats = JSON.readTree(Path.of(scored, "stats.json").toFile());
    assertTrue(stats.get("removed_by_rule_total").size() > 0, stats.toString());
    assertEquals(
        stats.get("input_documents").asLong(),
        stats.get("documents").asLong() + stats.get("removed_documents").asLong());
    assertEquals(4, stats.get("buckets").size());

    Path mixture = dir.resolve("mixture.json");
    CliRun.Result select =
        CliRun.run(
            "select",
            "--scored",
            scored,
            "--token-budget",
            "50000000000",
            "--output",
            mixture.toString());
    assertEquals(0, select.code(), select.err());
    JsonNode m = JSON.readTree(mixture.toFile());
    // 5·10^10 tokens of a sample of some 10^5: flagged, not planned silently
    assertTrue(select.err().contains("select: warning: the plan repeats its buckets"), select.err());
    assertEquals(1, m.get("warnings").size());
    int k = m.get("k_star").asInt();
    assertEquals(k, m.get("buckets").size());
    assertEquals(4, m.get("candidates").size());
    for (JsonNode b : m.get("buckets")) {
      assertTrue(b.has("bucket") && b.has("tokens") && b.has("epochs"), b.toString());
    }
    for (JsonNode c : m.get("candidates")) {
      assertTrue(c.has("k") && c.has("predicted_loss"), c.toString());
    }

    String tokens = dir.resolve("tokens").toString();
    CliRun.Result tokenize =
        CliRun.run("tokenize", "--input", scored, "--output", tokens, "--tokenizer", "cl100k_base");
    assertEquals(0, tokenize.code(), tokenize.err());
    JsonNode tstats = JSON.readTree(Path.of(tokens, "stats.json").toFile());
    assertEquals(stats.get("documents").asLong(), tstats.get("documents").asLong());
    assertTrue(
        tstats.get("tokens").asLong() > 0 && tstats.get("by_kind_lang").size() > 5,
        tstats.toString());
    try (var files = Files.list(Path.of(tokens))) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".arrow")));
    }
    assertEquals("estimate", m.get("token_source").get("kind").asText());

    // Planned from the tokens that will be fed: each bucket's tokens plus one EOS a document
    long streamTokens = 0;
    for (JsonNode b : tstats.get("buckets")) {
      assertEquals(
          b.get("tokens").asLong() + b.get("documents").asLong(), b.get("stream_tokens").asLong());
      streamTokens += b.get("stream_tokens").asLong();
    }
    assertEquals(tstats.get("tokens").asLong() + tstats.get("documents").asLong(), streamTokens);
    Path fromTokens = dir.resolve("mixture-tokens.json");
    CliRun.Result select2 =
        CliRun.run(
            "select",
            "--scored",
            scored,
            "--tokens",
            tokens,
            "--token-budget",
            "50000000000",
            "--output",
            fromTokens.toString());
    assertEquals(0, select2.code(), select2.err());
    JsonNode m2 = JSON.readTree(fromTokens.toFile());
    assertEquals("tokens", m2.get("token_source").get("kind").asText());
    long planned = 0;
    for (JsonNode c : m2.get("candidates")) {
      planned = Math.max(planned, c.get("tokens").asLong());
    }
    assertEquals(streamTokens, planned, "the largest candidate holds every bucket's real tokens");
    CliRun.Result export =
        CliRun.run(
            "export-megatron", "--input", tokens, "--output", dir.resolve("mg/corpus").toString());
    assertEquals(0, export.code(), export.err());
    assertEquals(4 * tstats.get("tokens").asLong(), Files.size(dir.resolve("mg/corpus.bin")));
    assertTrue(Files.size(dir.resolve("mg/corpus.idx")) > 9 + 8 + 1 + 8 + 8);
    CliRun.Result notTokens =
        CliRun.run(
            "export-megatron",
            "--input",
            scored + "/nope",
            "--output",
            dir.resolve("x").toString());
    assertEquals(1, notTokens.code());

    CliRun.Result badTokenizer =
        CliRun.run("tokenize", "--input", scored, "--output", tokens + "2", "--tokenizer", "gpt-9");
    assertEquals(1, badTokenizer.code());
    assertTrue(badTokenizer.err().contains("no bundled tokenizer named 'gpt-9'"), badTokenizer.err());

    CliRun.Result notScored =
        CliRun.run(
            "select",
            "--scored",
            docs + "/nope",
            "--token-budget",
            "1000",
            "--output",
            mixture.toString());
    assertEquals(1, notScored.code());
    assertTrue(notScored.err().contains("not a committed scored stage"), notScored.err());
  }

  @Test
  void fitWritesParametersThatSelectReads() throws Exception {
    Path table = dir.resolve("runs.tsv");
    Files.writeString(
        table,
        String.join(
                "\n",
                "bucket\tsamples_seen\tpool_samples\tloss",
                "0\t1000000\t2000000\t2.06",
                "0\t4000000\t2000000\t1.86",
                "0\t16000000\t2000000\t1.79",
                "1\t1000000\t2000000\t2.20",
                "1\t4000000\t2000000\t2.02",
                "1\t16000000\t2000000\t1.95")
            + "\n");
    Path params = dir.resolve("params.json");
    CliRun.Result fit =
        CliRun.run(
            "fit",
            "--measurements",
            table.toString(),
            "--grid",
            "30",
            "--output",
            params.toString());
    assertEquals(0, fit.code(), fit.err());
    JsonNode p = JSON.readTree(params.toFile());
    assertEquals(2, p.get("buckets").size());
    assertTrue(p.get("buckets").get(0).get("b").asDouble() < 0);

    CliRun.Result bad =
        CliRun.run(
            "fit",
            "--measurements",
            dir.resolve("missing.tsv").toString(),
            "--output",
            params.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("missing.tsv"), bad.err());
  }
}
