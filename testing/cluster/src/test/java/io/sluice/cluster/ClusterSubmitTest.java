package io.sluice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.stage.StageTables;
import io.sluice.core.storage.StorageConfig;
import io.sluice.jobs.SluiceCli;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest → filter → dedup → tokenize submitted to a real Spark standalone cluster exactly as the
 * README's spark-submit section documents (the thin {@code jobs/target/sluice.jar}, the libraries
 * a cluster does not provide as {@code --jars}, the JVM flags of {@code conf/jvm.properties} for
 * driver and executors), and each output compared with the same stage run embedded: same rows, same
 * hash of the sorted ids and texts (tokens: the same stats.json, counts per kind, language and
 * bucket).
 *
 * <p>The cluster is one Master and one Worker (2 cores) on 127.0.0.1, started from the jars of a
 * Spark distribution ({@code testing/spark-dist}: Spark's own versions, laid out as a SPARK_HOME);
 * {@code spark-submit} is its main class, {@code org.apache.spark.deploy.SparkSubmit}, in client
 * mode. Every process is stopped at the end.
 */
class ClusterSubmitTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static final List<Process> processes = new ArrayList<>();
  private static Path root;
  private static List<String> sparkJars;
  private static List<String> flags;
  private static String master;

  @BeforeAll
  static void startCluster() throws Exception {
    root = Path.of(System.getProperty("sluice.project.root"));
    sparkJars =
        List.of(
            Files.readString(root.resolve("testing/spark-dist/target/spark.classpath"))
                .strip()
                .split(File.pathSeparator));
    flags = jvmFlags();
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    for (String jar : sparkJars) {
      Path j = Path.of(jar);
      Files.createSymbolicLink(home.resolve("jars").resolve(j.getFileName()), j);
    }
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    Process m =
        start(
            "master",
            home,
            List.of(
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--webui-port",
                String.valueOf(freePort())));
    awaitLog(dir.resolve("master.log"), "I have been elected leader", m);
    Process w =
        start(
            "worker",
            home,
            List.of(
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--cores",
                "2",
                "--memory",
                "3g",
                "--webui-port",
                String.valueOf(freePort()),
                "--work-dir",
                dir.resolve("work").toString(),
                master));
    awaitLog(dir.resolve("worker.log"), "Successfully registered with master", w);
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static List<String> jvmFlags() throws IOException {
    for (String line : Files.readAllLines(root.resolve("conf/jvm.properties"))) {
      if (line.startsWith("sluice.jvm.flags=")) {
        return List.of(line.substring("sluice.jvm.flags=".length()).trim().split("\\s+"));
      }
    }
    throw new IllegalStateException("conf/jvm.properties has no sluice.jvm.flags");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A JVM on the distribution's class path, its output in {@code <name>.log}. */
  private static Process start(String name, Path home, List<String> mainAndArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-Xmx768m");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, sparkJars));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_NO_DAEMONIZE", "1");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static void awaitLog(Path log, String line, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + line + "' in " + log + ":\n" + Files.readString(log));
  }

  /**
   * The README's spark-submit line for one stage: the thin jar, {@code --jars} of the libraries in
   * {@code jobs/target/lib} that the distribution does not have (what the provided-scope build
   * ships), the JVM flags for driver and executors.
   */
  private static void submit(String mainClass, boolean copyJars, String... args) throws Exception {
    Set<String> provided =
        sparkJars.stream().map(j -> Path.of(j).getFileName().toString()).collect(Collectors.toSet());
    List<String> jars;
    try (Stream<Path> lib = Files.list(root.resolve("jobs/target/lib"))) {
      jars =
          lib.filter(p -> p.toString().endsWith(".jar"))
              .filter(p -> !provided.contains(p.getFileName().toString()))
              .map(p -> copyJars ? p.toString() : "local:" + p)
              .sorted()
              .toList();
    }
    String joined = String.join(" ", flags);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags); // the driver runs in this JVM (client mode), as spark-submit would start it
    cmd.add("-Xmx2g");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, sparkJars));
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(
        List.of(
            "--master",
            master,
            "--class",
            mainClass,
            "--jars",
            String.join(",", jars),
            "--conf",
            "spark.driver.extraJavaOptions=" + joined,
            "--conf",
            "spark.executor.extraJavaOptions=" + joined,
            "--conf",
            "spark.executor.memory=2g",
            "--conf",
            "spark.driver.host=127.0.0.1",
            // Spark's default of 200 shuffle partitions is for big clusters; dedup's shuffles of
            // a sample would be mostly empty tasks (the README says to size it to the cores)
            "--conf",
            "spark.sql.shuffle.partitions=4",
            root.resolve("jobs/target/sluice.jar").toString()));
    cmd.addAll(List.of(args));
    String name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    Path log = dir.resolve("submit-" + name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    long t0 = System.nanoTime();
    Process p = pb.start();
    processes.add(p);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish in 5 minutes:\n" + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), name + " on the cluster:\n" + Files.readString(log));
    System.out.printf(
        "spark-submit %s (%s): %.1f s%n",
        name, copyJars ? "--jars copied" : "--jars local:", (System.nanoTime() - t0) / 1e9);
    assertTrue(
        Files.readString(log).contains("Granted executor ID"),
        "the cluster's worker ran its executor: " + log);
  }

  @Test
  void stagesSubmittedToAClusterMakeWhatTheyMakeEmbedded() throws Exception {
    String sample = root.resolve("demo/sample").toString();
    Path cluster = dir.resolve("cluster");
    Path local = dir.resolve("local");
    String[][] stages = {
      {"IngestCommand", "ingest", "documents"},
      {"FilterCommand", "filter", "scored"},
      {"DedupCommand", "dedup", "deduped"},
      {"TokenizeCommand", "tokenize", "tokens"},
    };
    String onCluster = sample;
    String embedded = sample;
    for (String[] s : stages) {
      List<String> extra = s[1].equals("tokenize") ? List.of("--tokenizer", "llama3") : List.of();
      List<String> args = new ArrayList<>(List.of("--input", onCluster, "--output"));
      args.add(cluster.resolve(s[2]).toString());
      args.addAll(extra);
      // ingest exactly as the README's line (the jars copied to the executors); the others with
      // the same jars as local: paths, the README's variant for jars every node has, which spares
      // each submit the copy of some 360 MB (most of it ONNX Runtime and the towers' models).
      submit("io.sluice.jobs." + s[0], s[1].equals("ingest"), args.toArray(String[]::new));
      onCluster = cluster.resolve(s[2]).toString();

      List<String> same = new ArrayList<>(List.of(s[1], "--input", embedded, "--output"));
      same.add(local.resolve(s[2]).toString());
      same.addAll(extra);
      assertEquals(0, SluiceCli.run(same.toArray(String[]::new)), "embedded " + s[1]);
      embedded = local.resolve(s[2]).toString();
    }

    System.setProperty("spark.master", "local[2]");
    try (SparkSession spark = SparkSessions.create("cluster-compare", StorageConfig.defaults())) {
      for (String stage : List.of("documents", "scored", "deduped")) {
        Map<String, Object> c = digest(spark, cluster.resolve(stage));
        Map<String, Object> l = digest(spark, local.resolve(stage));
        assertTrue((long) c.get("rows") > 0, stage);
        assertEquals(l, c, stage + ": cluster output equals the embedded one");
      }
    } finally {
      System.clearProperty("spark.master");
    }
    assertEquals(
        tokenStats(local.resolve("tokens")),
        tokenStats(cluster.resolve("tokens")),
        "tokens: same documents, tokens and per-bucket counts");
  }

  /** Rows and a SHA-256 of the sorted (id, text) pairs of a stage's main table. */
  private static Map<String, Object> digest(SparkSession spark, Path stage) throws Exception {
    List<Row> rows =
        StageTables.read(spark, stage.toString()).select("id", "text").orderBy("id").collectAsList();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (Row r : rows) {
      sha.update((r.getString(0) + "\u0000" + r.getString(1) + "\u0001").getBytes("UTF-8"));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("rows", (long) rows.size());
    d.put("sha256", HexFormat.of().formatHex(sha.digest()));
    return d;
  }

  /** The tokens stage's stats.json without what varies from run to run. */
  private static JsonNode tokenStats(Path tokens) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode s =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            JSON.readTree(tokens.resolve("stats.json").toFile());
    s.remove("input");
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      if (it.next().contains("seconds")) {
        it.remove();
      }
    }
    return s;
  }
}
