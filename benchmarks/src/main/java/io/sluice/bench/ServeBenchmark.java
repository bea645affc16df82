package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.report.TextTable;
import io.sluice.index.Queries;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code ./bench serve}: the retrieval server under load on loopback. The server runs as its own
 * process ({@code ./sluice serve}); the load generator is wrk, a second process: closed-loop
 * keep-alive connections (1, 10, 50 clients), each sending SciFact queries one after another, per
 * mode, measured after the server has been warmed up at full load (15 s per mode) and 2 s more per
 * row. (An earlier version generated load from this JVM through {@code java.net.http}, whose
 * client threads took as much CPU as the server on 2 cores.) It runs
 * the server three times: with dense micro-batching (the default), without ({@code --batch.max 1},
 * each request encodes its own query and searches FAISS alone: the anchor), and with the 6-layer
 * document tower as query encoder instead of the distilled static tower ({@code --query-tower
 * teacher}); first it measures the same searches in-process through {@code Retriever} (no HTTP) as
 * a ceiling. The index (all 5,183 SciFact documents, BM25 + exact FAISS over all-MiniLM-L6-v2,
 * with a static query tower distilled by {@code sluice distill --student static}) is built once
 * into {@code benchmarks/target/serve/}.
 *
 * <p>Env: {@code SLUICE_BENCH_SECONDS} (measured seconds per row, default 5), {@code
 * SLUICE_BENCH_WARMUP} (seconds of load per mode before its rows, default 15), {@code
 * SLUICE_SERVE_INDEX} (another index directory), {@code SLUICE_SERVE_ARGS} (more {@code sluice
 * serve} options for both servers, e.g. {@code --encoder-threads 1}).
 */
public final class ServeBenchmark {

  private static final int[] CLIENTS = {1, 10, 50};
  // In-process rows run first, in a fresh JVM: 5 s of queries compile the search path (the server
  // warms up at full load per mode, and 2 s per row).
  private static final long WARM_UP_NANOS = 5_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One measured row; latencies in milliseconds (NaN when nothing was measured). */
  private record Row(
      String system,
      String mode,
      int clients,
      double qps,
      double p50,
      double p95,
      double p99,
      long errors) {

    static Row of(String system, String mode, double qps, Histogram microseconds) {
      return new Row(
          system,
          mode,
          1,
          qps,
          percentile(microseconds, 50),
          percentile(microseconds, 95),
          percentile(microseconds, 99),
          0);
    }

    private static double percentile(Histogram h, double p) {
      return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
    }
  }

  private ServeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Path index =
        Path.of(
            System.getenv()
                .getOrDefault("SLUICE_SERVE_INDEX", "benchmarks/target/serve/scifact-minilm-flat"));
    Path scifact = SharedData.root().resolve("retrieval/scifact");
    if (!Files.isRegularFile(index.resolve("manifest.json"))) {
      run(
          root,
          List.of(
              "./sluice",
              "index",
              "--input",
              scifact.resolve("corpus.jsonl.gz").toString(),
              "--output",
              index.toString(),
              "--dense",
              "flat",
              "--model",
              "all-minilm-l6-v2"));
    }
    if (!Files.readString(index.resolve("manifest.json")).contains("\"queryTower\"")) {
      // The served query tower: static token vectors distilled from the document tower; the
      // SciFact test queries are held out (qrels/test.tsv next to the queries file).
      run(
          root,
          List.of(
              "./sluice",
              "distill",
              "--index",
              index.toString(),
              "--queries",
              scifact.resolve("queries.jsonl").toString(),
              "--student",
              "static"));
    }
    int seconds = Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_SECONDS", "5"));
    List<String> queries = new ArrayList<>(Queries.read(scifact.resolve("queries.jsonl")).values());
    System.out.print(Report.header(SharedData.root()));
    System.out.printf(
        "index:  %s, %d queries, %d s measured per row after %d s of load per mode and 2 s per row;"
            + " serve options: %s%n%n",
        index,
        queries.size(),
        seconds,
        warmUpSeconds(),
        System.getenv().getOrDefault("SLUICE_SERVE_ARGS", "-"));

    List<Row> rows = new ArrayList<>(inProcess(index, queries));
    rows.addAll(
        server(
            root,
            index,
            queries,
            "server, micro-batched",
            List.of(),
            List.of("bm25", "dense", "hybrid"),
            seconds));
    rows.addAll(
        server(
            root,
            index,
            queries,
            "server, unbatched",
            List.of("--batch.max", "1"),
            List.of("dense", "hybrid"),
            seconds));
    rows.addAll(
        server(
            root,
            index,
            queries,
            "server, micro-batched, 6-layer encoder as query tower",
            List.of("--query-tower", "teacher"),
            List.of("dense"),
            seconds));

    TextTable t =
        new TextTable("system", "mode", "clients", "QPS", "p50 ms", "p95 ms", "p99 ms", "errors");
    for (Row r : rows) {
      t.row(
          r.system(),
          r.mode(),
          r.clients(),
          Report.number(r.qps()),
          ms(r.p50()),
          ms(r.p95()),
          ms(r.p99()),
          r.errors());
    }
    System.out.print(t.render());
    System.out.println();
    goals(rows);
  }

  /** The ceiling: Retriever in this JVM, one thread, one query at a time (dense also in 32s). */
  private static List<Row> inProcess(Path index, List<String> queries) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (Retriever r = Retriever.open(index)) {
      for (SearchMode m : List.of(SearchMode.BM25, SearchMode.DENSE)) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        int n = m == SearchMode.BM25 ? 1000 : 300;
        // (50 queries, as before, left BM25 at a third of its compiled speed.)
        long warm = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; System.nanoTime() < warm; i++) {
          r.search(SearchRequest.of(queries.get(i % queries.size()), 10, m));
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          r.search(SearchRequest.of(queries.get(i % queries.size()), 10, m));
          h.recordValue((System.nanoTime() - t0) / 1000);
        }
        rows.add(Row.of("in-process Retriever", lower(m), n / secs(start), h));
      }
      Histogram h = new Histogram(3_600_000_000L, 3);
      int batches = 20;
      long start = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        List<String> qs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          qs.add(queries.get((b * 32 + i) % queries.size()));
        }
        long t0 = System.nanoTime();
        r.searchBatch(qs, SearchRequest.of("", 10, SearchMode.DENSE));
        h.recordValue((System.nanoTime() - t0) / 1000);
      }
      rows.add(Row.of("in-process searchBatch(32)", "dense", batches * 32 / secs(start), h));
    }
    return rows;
  }

  private static List<Row> server(
      Path root,
      Path index,
      List<String> queries,
      String name,
      List<String> extra,
      List<String> modes,
      int seconds)
      throws Exception {
    Path script = root.resolve("benchmarks/target/serve/search-load.lua");
    try (InputStream in = ServeBenchmark.class.getResourceAsStream("search-load.lua")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "./sluice",
                "serve",
                "--index",
                index.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port)));
    cmd.addAll(extra);
    String more = System.getenv("SLUICE_SERVE_ARGS"); // e.g. "--encoder-threads 1"
    if (more != null && !more.isBlank()) {
      cmd.addAll(List.of(more.trim().split("\\s+")));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
    pb.environment().put("SLUICE_JAVA_OPTS", "-Xmx2g");
    pb.redirectOutput(root.resolve("benchmarks/target/serve/server.log").toFile());
    Process p = pb.start();
    List<Row> rows = new ArrayList<>();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      awaitReady(base, p);
      for (String mode : modes) {
        Path bodies = root.resolve("benchmarks/target/serve/bodies-" + mode + ".jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(bodies)) {
          for (String q : queries) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("query", q);
            b.put("k", 10);
            b.put("mode", mode);
            w.write(JSON.writeValueAsString(b));
            w.newLine();
          }
        }
        // Steady state, as a service runs: the JIT keeps compiling the request path for the first
        // 20-30 s of load (C2 took a quarter of the CPU 10-20 s in), so each mode is warmed at
        // full load before its rows, each of which warms 2 s more.
        System.out.printf(
            Locale.ROOT, "  %s %s: warming up %d s at 50 clients%n", name, mode, warmUpSeconds());
        wrk(base, script, bodies, 50, warmUpSeconds());
        for (int clients : CLIENTS) {
          rows.add(load(base, script, bodies, name, mode, clients, seconds));
        }
      }
    } finally {
      p.destroy();
      p.waitFor();
    }
    return rows;
  }

  private static void awaitReady(URI base, Process p) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "sluice serve exited with "
                + p.exitValue()
                + "; see benchmarks/target/serve/server.log");
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("sluice serve not ready after 3 minutes");
  }

  /**
   * Closed loop through wrk, a second process: {@code clients} keep-alive connections, each sending
   * its next query when the last answer arrived, on up to 2 wrk threads. A 2 s run first warms the
   * server up; then {@code seconds} are measured. wrk's latency percentiles are per request, from
   * sending to the full answer.
   */
  private static Row load(
      URI base, Path script, Path bodies, String system, String mode, int clients, int seconds)
      throws IOException, InterruptedException {
    wrk(base, script, bodies, clients, 2);
    Map<String, String> r = wrk(base, script, bodies, clients, seconds);
    double qps = Long.parseLong(r.get("requests")) / Double.parseDouble(r.get("seconds"));
    Row row =
        new Row(
            system,
            mode,
            clients,
            qps,
            Long.parseLong(r.get("p50_us")) / 1000.0,
            Long.parseLong(r.get("p95_us")) / 1000.0,
            Long.parseLong(r.get("p99_us")) / 1000.0,
            Long.parseLong(r.get("errors")));
    System.out.printf(
        Locale.ROOT,
        "  %s %s x%d: %.0f QPS, p99 %s ms, %d errors%n",
        system,
        mode,
        clients,
        qps,
        ms(row.p99()),
        row.errors());
    return row;
  }

  private static int warmUpSeconds() {
    return Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_WARMUP", "15"));
  }

  /** Runs wrk once and returns the fields of the script's {@code RESULT} line. */
  private static Map<String, String> wrk(
      URI base, Path script, Path bodies, int clients, int seconds)
      throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            "wrk",
            "-t" + Math.min(2, clients),
            "-c" + clients,
            "-d" + seconds + "s",
            "--timeout",
            "30s",
            "-s",
            script.toString(),
            base.toString(),
            "--",
            bodies.toString());
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "./bench serve needs wrk as its load generator (apt-get install wrk)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String kv : line.substring(7).trim().split(" ")) {
          int eq = kv.indexOf('=');
          fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
      }
    }
    throw new IllegalStateException("wrk printed no RESULT line:\n" + out);
  }

  private static void goals(List<Row> rows) {
    Row dense50 = find(rows, "server, micro-batched", "dense", 50);
    Row bm2550 = find(rows, "server, micro-batched", "bm25", 50);
    Row unbatched50 = find(rows, "server, unbatched", "dense", 50);
    Row unbatched1 = find(rows, "server, unbatched", "dense", 1);
    long errors = rows.stream().mapToLong(Row::errors).sum();
    TextTable t = new TextTable("goal (2 cores)", "measured", "met");
    double d99 = dense50.p99();
    double b99 = bm2550.p99();
    t.row(
        "dense p99 < 30 ms at 50 clients",
        ms(d99) + " ms",
        d99 < 30 ? "yes" : "NO");
    t.row(
        "BM25 p99 < 10 ms at 50 clients",
        ms(b99) + " ms",
        b99 < 10 ? "yes" : "NO");
    t.row("zero errors", Long.toString(errors), errors == 0 ? "yes" : "NO");
    double ratio = dense50.qps() / unbatched50.qps();
    t.row(
        "micro-batched dense QPS >= 3x unbatched (50 clients)",
        String.format(Locale.ROOT, "%.1fx", ratio),
        ratio >= 3 ? "yes" : "NO");
    t.row(
        "micro-batched dense QPS (50) vs one client at a time",
        String.format(Locale.ROOT, "%.1fx", dense50.qps() / unbatched1.qps()),
        "");
    System.out.print(t.render());
  }

  private static Row find(List<Row> rows, String system, String mode, int clients) {
    return rows.stream()
        .filter(r -> r.system().equals(system) && r.mode().equals(mode) && r.clients() == clients)
        .findFirst()
        .orElseThrow();
  }

  private static String ms(double millis) {
    return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.2f", millis);
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String lower(SearchMode m) {
    return m.name().toLowerCase(Locale.ROOT);
  }

  private static void run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with " + p.exitValue());
    }
  }
}
