package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users and acceptance checks call it: exit codes, messages, output files. */
class SluiceCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static CliRun.Result run(String... args) {
    return CliRun.run(args);
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(l));
    }
    return nodes;
  }

  @Test
  void extractKeepsOrderIdsAndAlignsBadLines() throws Exception {
    Path in = dir.resolve("pages.jsonl");
    Files.writeString(
        in,
        String.join(
                "\n",
                "{\"id\":\"a\",\"url\":\"https://a.org\",\"html\":\"<html><body><nav>Menu Home"
                    + " About</nav><p>The first article has a long paragraph of real prose, long"
                    + " enough to be the main text.</p></body></html>\"}",
                "{oops",
                "{\"id\":\"c\",\"html\":\"<p>Third</p>\"}")
            + "\n");
    Path out = dir.resolve("text.jsonl");
    CliRun.Result r =
        run("extract", "--input", in.toString(), "--output", out.toString(), "--threads", "2");
    assertEquals(0, r.code(), r.err());
    List<JsonNode> got = lines(out);
    assertEquals(3, got.size());
    assertEquals("a", got.get(0).get("id").asText());
    assertEquals("https://a.org", got.get(0).get("url").asText());
    assertTrue(
        got.get(0).get("text").asText().startsWith("The first article"), got.get(0).toString());
    assertFalse(got.get(0).get("text").asText().contains("Menu"));
    assertTrue(got.get(1).has("error"));
    assertEquals("c", got.get(2).get("id").asText());
  }

  @Test
  void langidAddsLanguageAndScore() throws Exception {
    Path in = dir.resolve("t.jsonl");
    Files.writeString(
        in,
        "{\"id\":1,\"text\":\"Der schnelle braune Fuchs springt über den faulen Hund.\"}\n"
            + "{\"id\":2,\"text\":\"\"}\n{\"id\":3,\"text\":\"これは日本語の文章です。\"}\n");
    Path out = dir.resolve("l.jsonl");
    assertEquals(0, run("langid", "--input", in.toString(), "--output", out.toString()).code());
    List<JsonNode> got = lines(out);
    assertEquals(
        List.of("de", "und", "ja"), got.stream().map(n -> n.get("lang").asText()).toList());
    assertTrue(got.get(0).get("lang_score").asDouble() > 0.5);
  }

  @Test
  void failuresGiveOneLineOnStderrAndNonZeroExit() {
    CliRun.Result missing =
        run(
            "ingest",
            "--input",
            dir.resolve("nope").toString(),
            "--output",
            dir.resolve("o").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("ingest: error: input does not exist:"), missing.err());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());

    CliRun.Result usage = run("ingest", "--bogus");
    assertEquals(2, usage.code());

    CliRun.Result help = run("--help");
    assertEquals(0, help.code());
    for (String cmd : List.of("ingest", "extract", "langid", "show", "demo")) {
      assertTrue(help.out().contains(cmd), help.out());
    }
  }

  @Test
  void ingestThenShowPrintsJsonLines() throws Exception {
    Path sample =
        Path.of(System.getProperty("sluice.project.root", "..")).resolve("demo/sample/web");
    Path out = dir.resolve("documents");
    CliRun.Result ingest = run("ingest", "--input", sample.toString(), "--output", out.toString());
    assertEquals(0, ingest.code(), ingest.err());
    assertTrue(ingest.out().contains("all"), ingest.out());
    JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
    assertEquals(350, stats.get("documents").asLong(), stats.toString());
    assertEquals(5, stats.get("languages").get("ja").asLong(), stats.toString());

    CliRun.Result show = run("show", out.toString(), "--limit", "3", "--columns", "id,lang,kind");
    assertEquals(0, show.code(), show.err());
    List<String> rows = show.out().lines().toList();
    assertEquals(3, rows.size(), show.out());
    for (String row : rows) {
      JsonNode n = JSON.readTree(row);
      assertEquals(List.of("id", "lang", "kind"), iterator(n.fieldNames()));
    }
    CliRun.Result badColumn = run("show", out.toString(), "--columns", "nope");
    assertEquals(1, badColumn.code());
    assertTrue(badColumn.err().contains("no column 'nope'"), badColumn.err());

    CliRun.Result again = run("ingest", "--input", sample.toString(), "--output", out.toString());
    assertTrue(again.out().contains("already committed"), again.out());
  }

  private static List<String> iterator(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
