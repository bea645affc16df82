package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command that {@code sluice --help} lists, as a user meets it: its {@code --help}, the
 * commands the READMEs show (they must parse as the CLI reads them), the ones no other test runs
 * (release, train-quality, distill, serve answering query, demo twice), and bad arguments. Which
 * test covers each command is listed in {@link #COVERED}; a new command without one fails here.
 */
class EveryCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each command and the test class that runs it with real arguments. */
  private static final Map<String, String> COVERED =
      Map.ofEntries(
          Map.entry("ingest", "SluiceCliTest.ingestThenShowPrintsJsonLines"),
          Map.entry("extract", "SluiceCliTest.extractKeepsOrderIdsAndAlignsBadLines"),
          Map.entry("langid", "SluiceCliTest.langidAddsLanguageAndScore"),
          Map.entry("filter", "FilterCommandsTest.ingestFilterSelect"),
          Map.entry("select", "FilterCommandsTest.ingestFilterSelect"),
          Map.entry("fit", "FilterCommandsTest.fitWritesParametersThatSelectReads"),
          Map.entry("train-quality", "EveryCommandTest.trainQualityWritesAModelFilterReads"),
          Map.entry("dedup", "PipelineTest, EveryCommandTest.badArguments…"),
          Map.entry("tokenize", "FilterCommandsTest.ingestFilterSelect"),
          Map.entry("export-megatron", "FilterCommandsTest.ingestFilterSelect"),
          Map.entry("encode", "EncodeDecodeTest"),
          Map.entry("decode", "EncodeDecodeTest"),
          Map.entry("feed", "FeedCommandsTest.feedCommandServesWhatAFlightReaderAsksFor"),
          Map.entry("feed-bench", "FeedCommandsTest.feedBenchPrintsBothServers…"),
          Map.entry("feed-dump", "FeedCommandsTest.feedDumpWritesOneLinePerBatch…"),
          Map.entry("index", "IndexCommandsTest, EveryCommandTest.serveAnswersQuery…"),
          Map.entry("search", "IndexCommandsTest"),
          Map.entry("serve", "EveryCommandTest.serveAnswersQueryAfterDistill"),
          Map.entry("query", "EveryCommandTest.serveAnswersQueryAfterDistill"),
          Map.entry("eval", "IndexCommandsTest"),
          Map.entry("distill", "EveryCommandTest.serveAnswersQueryAfterDistill"),
          Map.entry("show", "SluiceCliTest.ingestThenShowPrintsJsonLines"),
          Map.entry("pipeline", "PipelineTest"),
          Map.entry("release", "EveryCommandTest.releaseCommandsOnALocalRoot"),
          Map.entry("demo", "EveryCommandTest.demoRunTwiceMakesTheSameRelease"));

  @TempDir Path dir;

  private static Path root() {
    return Path.of(System.getProperty("sluice.project.root", ".."));
  }

  /** The command names under "Commands:" in {@code sluice --help} (or a command's help). */
  private static List<String> listedCommands(String help) {
    List<String> names = new ArrayList<>();
    boolean in = false;
    for (String line : help.lines().toList()) {
      if (line.startsWith("Commands:")) {
        in = true;
      } else if (in) {
        Matcher m = Pattern.compile("^  ([a-z][a-z-]*)\\s").matcher(line);
        if (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void everyListedCommandHasHelpAndATest() {
    CliRun.Result help = CliRun.run("--help");
    assertEquals(0, help.code());
    List<String> commands = listedCommands(help.out());
    assertEquals(new TreeSet<>(COVERED.keySet()), new TreeSet<>(commands), "commands vs tests");
    for (String c : commands) {
      CliRun.Result r = CliRun.run(c, "--help");
      assertEquals(0, r.code(), c + ": " + r.err());
      assertTrue(r.out().startsWith("Usage: sluice " + c), c + ": " + r.out());
      assertEquals("", r.err(), c + " --help writes nothing on stderr");
    }
    CliRun.Result release = CliRun.run("release", "--help");
    assertEquals(List.of("publish", "list", "verify", "fetch"), listedCommands(release.out()));
    for (String sub : List.of("publish", "list", "verify", "fetch")) {
      CliRun.Result r = CliRun.run("release", sub, "--help");
      assertEquals(0, r.code(), sub);
      assertTrue(r.out().startsWith("Usage: sluice release " + sub), r.out());
    }
  }

  /**
   * Every {@code ./sluice …} line of the READMEs parses as the CLI reads it: known command, known
   * options, the required ones given. (A README line may name files that only exist after the
   * commands before it, so they are parsed, not run; the other tests run them.)
   */
  @Test
  void everyCommandTheReadmesShowParses() throws Exception {
    List<Path> readmes = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root(), 2)) {
      s.filter(p -> p.getFileName().toString().equals("README.md"))
          .filter(p -> !p.toString().contains("demo-out") && !p.toString().contains("target"))
          .forEach(readmes::add);
    }
    int checked = 0;
    for (Path readme : readmes) {
      for (String line : sluiceLines(Files.readString(readme))) {
        List<String> args = shellWords(line);
        try {
          new CommandLine(new SluiceCli()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
          throw new AssertionError(readme + ": './sluice " + line + "': " + e.getMessage(), e);
        }
        checked++;
      }
    }
    assertTrue(checked >= 40, "found " + checked + " README commands");
  }

  /**
   * The argument part of each {@code ./sluice …} command in fenced code blocks: continuation lines
   * joined, a trailing comment, pipe or {@code &&} cut off.
   */
  static List<String> sluiceLines(String markdown) {
    List<String> out = new ArrayList<>();
    boolean code = false;
    StringBuilder pending = null;
    for (String line : markdown.lines().toList()) {
      if (line.startsWith("```")) {
        code = !code;
        continue;
      }
      if (!code) {
        continue;
      }
      if (pending != null) {
        pending.append(' ').append(line.strip());
      } else {
        // a command: the line starts with it, or stdin is piped into it
        String t = line.strip();
        int at = t.startsWith("./sluice ") ? 0 : t.indexOf("| ./sluice ");
        if (at < 0) {
          continue;
        }
        at = t.indexOf("./sluice ", at);
        pending = new StringBuilder(t.substring(at + "./sluice ".length()));
      }
      if (pending.toString().endsWith("\\")) {
        pending.setLength(pending.length() - 1);
        continue;
      }
      String cmd = pending.toString();
      pending = null;
      cmd = cut(cmd, " #");
      cmd = cut(cmd, " | ");
      cmd = cut(cmd, " && ");
      cmd = cut(cmd, "; ");
      out.add(cmd.strip());
    }
    return out;
  }

  private static String cut(String s, String at) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (!single && !dbl && s.startsWith(at, i)) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  /** Splits a command line into words as a POSIX shell would (quotes and backslashes). */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  @Test
  void aMisspeltCommandIsNamedWithTheNearestOne() {
    CliRun.Result r = CliRun.run("ingset", "--input", "x");
    assertEquals(2, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("ingset") && r.err().contains("ingest"), r.err());
  }

  @Test
  void readmeLinesAreReadAsAShellWould() {
    assertEquals(
        List.of("query", "--url", "http://x", "what causes tides", "--k", "5"),
        shellWords(sluiceLines("```\n./sluice query --url http://x \"what causes tides\" --k 5 # c\n```").get(0)));
    assertEquals(
        List.of("search", "--index", "out", "--k", "100"),
        shellWords(sluiceLines("```bash\n./sluice search  --index out \\\n    --k 100\n```").get(0)));
    assertEquals(
        List.of("encode", "--tokenizer", "x"),
        shellWords(sluiceLines("```\necho \"a | b\" | ./sluice encode --tokenizer x\n```").get(0)));
    assertEquals(List.of(), sluiceLines("```\nconf/  flags (used by Maven, ./sluice and docs)\n```"));
  }

  private Path documents(String name, String text, int count) throws Exception {
    Path in = dir.resolve(name + ".jsonl");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.append(
          JSON.createObjectNode()
              .put("id", name + "-" + i)
              .put("text", text + " Number " + i + ".")
              .toString());
      b.append('\n');
    }
    Files.writeString(in, b.toString());
    Path out = dir.resolve(name);
    CliRun.Result r = CliRun.run("ingest", "--input", in.toString(), "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    return out;
  }

  @Test
  void releaseCommandsOnALocalRoot() throws Exception {
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Path docs = documents("web", "The tide rises and falls twice a day along the coast.", 5);
    Files.move(docs, out.resolve("documents"));
    Files.writeString(out.resolve("notes.txt"), "not part of a release");
    Path releases = dir.resolve("releases");
    CliRun.Result publish =
        CliRun.run(
            "release", "publish", "--from", out.toString(), "--to", releases.toString(), "--name",
            "web", "--version", "v1");
    assertEquals(0, publish.code(), publish.err());
    assertTrue(publish.out().contains("published " + releases + "/web/v1"), publish.out());
    assertTrue(publish.err().contains("notes.txt"), "what is left out is named: " + publish.err());

    CliRun.Result list = CliRun.run("release", "list", releases.toString());
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains("web") && list.out().contains("v1"), list.out());

    CliRun.Result verify = CliRun.run("release", "verify", releases + "/web/v1");
    assertEquals(0, verify.code(), verify.err());

    Path fetched = dir.resolve("fetched");
    CliRun.Result fetch =
        CliRun.run("release", "fetch", releases + "/web/v1", "--to", fetched.toString());
    assertEquals(0, fetch.code(), fetch.err() + fetch.out());
    assertTrue(Files.isRegularFile(fetched.resolve("web/v1/documents/_SUCCESS")));
    assertFalse(Files.exists(fetched.resolve("web/v1/notes.txt")));

    CliRun.Result again =
        CliRun.run(
            "release", "publish", "--from", out.toString(), "--to", releases.toString(), "--name",
            "web", "--version", "v1");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(1, again.err().strip().lines().filter(l -> l.contains("error")).count());

    Files.writeString(releases.resolve("web/v1/documents/stats.json"), "{}");
    CliRun.Result damaged = CliRun.run("release", "verify", releases + "/web/v1");
    assertEquals(1, damaged.code(), damaged.out());
    assertTrue((damaged.out() + damaged.err()).contains("documents/stats.json"), damaged.out());
  }

  @Test
  void trainQualityWritesAModelFilterReads() throws Exception {
    Path good =
        documents(
            "good",
            "The committee reviewed the proposal in detail and published its findings, which"
                + " describe the method, the data and the limits of the study.",
            30);
    Path bad = documents("bad", "click here buy now best price free free free login", 30);
    Path model = dir.resolve("quality.bin");
    CliRun.Result r =
        CliRun.run(
            "train-quality",
            "--positive",
            good.toString(),
            "--negative",
            bad.toString(),
            "--output",
            model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ROC AUC"), r.out());
    assertTrue(Files.size(model) > 0);
  }

  @Test
  void serveAnswersQueryAfterDistill() throws Exception {
    Path corpus = dir.resolve("corpus.jsonl");
    String[] texts = {
      "Tides are caused by the gravitational pull of the moon and the sun on the oceans.",
      "Volcanoes erupt when magma from the mantle rises through the crust.",
      "Photosynthesis turns light, water and carbon dioxide into sugar in plant leaves.",
      "The stock market fell sharply after the central bank raised interest rates."
    };
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < texts.length; i++) {
      b.append(JSON.createObjectNode().put("_id", "d" + i).put("text", texts[i])).append('\n');
    }
    Files.writeString(corpus, b.toString());
    Path index = dir.resolve("index");
    CliRun.Result built =
        CliRun.run(
            "index", "--input", corpus.toString(), "--output", index.toString(), "--dense",
            "flat", "--model", "all-minilm-l6-v2");
    assertEquals(0, built.code(), built.err());
    CliRun.Result distill =
        CliRun.run("distill", "--index", index.toString(), "--student", "static", "--epochs", "1");
    assertEquals(0, distill.code(), distill.err());

    try (CliProcess serve =
        CliProcess.start(dir, "serve", "--index", index.toString(), "--port", "0")) {
      String port =
          serve.awaitStdout(
              Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"), Duration.ofSeconds(60));
      String url = "http://127.0.0.1:" + port;
      CliRun.Result q = null;
      for (int i = 0; i < 120; i++) { // the port answers at once; the index loads meanwhile
        q = CliRun.run("query", "--url", url, "what causes tides", "--k", "2", "--mode", "hybrid");
        if (q.code() == 0 || !q.err().contains("not_ready")) {
          break;
        }
        Thread.sleep(500);
      }
      assertEquals(0, q.code(), q.err());
      assertTrue(
          Pattern.compile("(?m)^\\s*1\\s+\\S+\\s+d0\\s").matcher(q.out()).find(),
          "the tide document first: " + q.out());
      CliRun.Result dense =
          CliRun.run("query", "--url", url, "volcano eruption magma", "--k", "1", "--mode", "dense");
      assertEquals(0, dense.code(), dense.err());
      assertTrue(dense.out().contains("d1"), dense.out());
    }
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    CliRun.Result stopped = CliRun.run("query", "--url", "http://127.0.0.1:" + closed, "x");
    assertEquals(1, stopped.code());
    assertTrue(stopped.err().contains("is sluice serve running there?"), stopped.err());
  }

  @Test
  void badArgumentsGiveOneLineAndANonZeroCode() throws Exception {
    Path other = dir.resolve("mine");
    Files.createDirectories(other);
    Files.writeString(other.resolve("precious.txt"), "keep");
    Path docs = documents("web", "A plain sentence about the weather and the sea today.", 3);
    for (String stage : List.of("filter", "dedup", "tokenize", "index")) {
      List<String> extra = stage.equals("tokenize") ? List.of("--tokenizer", "cl100k_base") : List.of();
      CliRun.Result missing =
          CliRun.run(
              args(stage, extra, "--input", dir.resolve("nope").toString(), "--output",
                  dir.resolve("o-" + stage).toString()));
      assertEquals(1, missing.code(), stage);
      assertEquals(1, missing.err().strip().lines().count(), stage + ": " + missing.err());
      assertTrue(missing.err().startsWith(stage + ": error: "), missing.err());
      assertTrue(missing.err().contains("nope"), "names the input: " + missing.err());

      CliRun.Result misspelt = CliRun.run(stage, "--inptu", docs.toString(), "--output", "x");
      assertEquals(2, misspelt.code(), stage);
      assertTrue(
          misspelt.err().contains("unknown option '--inptu' (did you mean --input?)"),
          misspelt.err());
      assertEquals(1, misspelt.err().strip().lines().count(), misspelt.err());

      CliRun.Result notAStage =
          CliRun.run(
              args(stage, extra, "--input", docs.toString(), "--output", other.toString(), "--force"));
      assertEquals(1, notAStage.code(), stage + ": " + notAStage.out());
      assertTrue(notAStage.err().contains("is not a Sluice stage"), notAStage.err());
      assertTrue(Files.exists(other.resolve("precious.txt")), stage + " left it alone");
    }
    CliRun.Result inside =
        CliRun.run(
            "ingest", "--input", dir.resolve("web.jsonl").toString(), "--output", dir.toString(),
            "--force");
    assertEquals(1, inside.code());
    assertTrue(inside.err().contains("lies inside the output"), inside.err());
    assertTrue(Files.exists(dir.resolve("web.jsonl")));
  }

  private static String[] args(String command, List<String> extra, String... rest) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(extra);
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  /** S3 gone (nothing listens at the endpoint): one line, no stack traces, exit 1. */
  @Test
  void ingestToAnS3ThatIsGoneFailsInOneLine() throws Exception {
    Path in = dir.resolve("one.jsonl");
    Files.writeString(in, "{\"id\": \"1\", \"text\": \"Some text about rivers and the sea.\"}\n");
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    try (CliProcess ingest =
        CliProcess.start(
            dir,
            Map.of(
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_EC2_METADATA_DISABLED", "true"),
            "ingest",
            "--input",
            in.toString(),
            "--output",
            "s3://corpus/documents",
            "--s3.endpoint",
            "http://127.0.0.1:" + closed)) {
      assertEquals(1, ingest.waitFor(Duration.ofMinutes(3)), ingest.err());
      List<String> lines =
          ingest.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
      assertEquals(1, lines.size(), "one line, no stack traces: " + ingest.err());
      assertTrue(lines.get(0).startsWith("ingest: error: "), lines.get(0));
      assertTrue(lines.get(0).contains("--s3.endpoint"), lines.get(0));
    }
  }

  @Test
  void anS3FailureSaysWhatToGiveInOneLine() {
    Exception e =
        new java.io.IOException(
            "s3a://corpus/raw: listing failed",
            new org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException(
                "No AWS Credentials provided by TemporaryAWSCredentialsProvider"
                    + " SimpleAWSCredentialsProvider EnvironmentVariableCredentialsProvider"
                    + " IAMInstanceCredentialsProvider : Unable to load credentials. Access key"
                    + " must be specified either via environment variable or system property."));
    String line = SluiceCli.oneLine(e);
    assertTrue(line.startsWith("s3a://corpus/raw: cannot reach S3 ("), line);
    assertTrue(line.contains("--s3.endpoint"), line);
    assertTrue(line.length() < 400, line.length() + ": " + line);
  }

  /**
   * {@code ./sluice demo} as the README has users run it, twice: the second run skips the
   * committed stages and makes the same release (it used to publish the first release inside the
   * second), and the commands it tells the user to run next parse.
   */
  @Test
  void demoRunTwiceMakesTheSameRelease() throws Exception {
    Path out = dir.resolve("demo-out");
    String sample = root().resolve("demo/sample").toString();
    CliRun.Result first = CliRun.run("demo", "--sample", sample, "--output", out.toString());
    assertEquals(0, first.code(), first.err());
    Map<String, Long> files1 = releaseFiles(first.out());
    CliRun.Result second = CliRun.run("demo", "--sample", sample, "--output", out.toString());
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().matches("(?s).*ingest +skipped.*"), second.out());
    assertEquals(files1, releaseFiles(second.out()), "the same release, nothing nested");
    assertFalse(files1.keySet().stream().anyMatch(f -> f.startsWith("releases/")), files1.toString());
    int parsed = 0;
    for (String line : second.out().lines().toList()) {
      int at = line.indexOf("./sluice ");
      if (at >= 0) {
        List<String> args = shellWords(line.substring(at + "./sluice ".length()));
        new CommandLine(new SluiceCli()).parseArgs(args.toArray(String[]::new));
        parsed++;
      }
    }
    assertTrue(parsed >= 4, second.out());
  }

  /** The fetched release's files (path → size) that the demo printed the location of. */
  private static Map<String, Long> releaseFiles(String demoOut) throws Exception {
    Matcher m = Pattern.compile("fetched and verified into (\\S+)").matcher(demoOut);
    assertTrue(m.find(), demoOut);
    Path release = Path.of(m.group(1));
    JsonNode manifest = JSON.readTree(release.resolve("manifest.json").toFile());
    Map<String, Long> files = new TreeMap<>();
    for (JsonNode f : manifest.get("files")) {
      files.put(f.get("path").asText(), f.get("bytes").asLong());
    }
    files.remove("README.md"); // the card names the run's date
    return files;
  }
}
