package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.report.TextTable;
import io.sluice.index.Queries;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code ./bench serve}: the retrieval server under load on loopback. The server runs as its own
 * process ({@code ./sluice serve}), this JVM is the load generator: closed-loop clients (1, 10,
 * 50), each sending SciFact queries one after another over {@code java.net.http}, per mode, with
 * latency recorded in HdrHistogram after a warm-up. It runs the server twice, with dense
 * micro-batching (the default) and without ({@code --batch.max 1}, each request encodes its own
 * query: the anchor), and first measures the same searches in-process through {@code Retriever} (no
 * HTTP) as a ceiling. The index (all 5,183 SciFact documents, BM25 + exact FAISS over
 * all-MiniLM-L6-v2) is built once by {@code ./sluice index} into {@code benchmarks/target/serve/}.
 *
 * <p>Env: {@code SLUICE_BENCH_SECONDS} (measured seconds per row, default 5), {@code
 * SLUICE_SERVE_INDEX} (another index directory), {@code SLUICE_SERVE_ARGS} (more {@code sluice
 * serve} options for both servers, e.g. {@code --encoder-threads 1}).
 */
public final class ServeBenchmark {

  private static final int[] CLIENTS = {1, 10, 50};
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Row(
      String system, String mode, int clients, double qps, Histogram latency, long errors) {}

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
    int seconds = Integer.parseInt(System.getenv().getOrDefault("SLUICE_BENCH_SECONDS", "5"));
    List<String> queries = new ArrayList<>(Queries.read(scifact.resolve("queries.jsonl")).values());
    System.out.print(Report.header(SharedData.root()));
    System.out.printf(
        "index:  %s, %d queries, %d s measured per row after a 2 s warm-up; serve options: %s%n%n",
        index, queries.size(), seconds, System.getenv().getOrDefault("SLUICE_SERVE_ARGS", "-"));

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

    TextTable t =
        new TextTable("system", "mode", "clients", "QPS", "p50 ms", "p95 ms", "p99 ms", "errors");
    for (Row r : rows) {
      t.row(
          r.system(),
          r.mode(),
          r.clients(),
          Report.number(r.qps()),
          ms(r.latency(), 50),
          ms(r.latency(), 95),
          ms(r.latency(), 99),
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
        for (int i = 0; i < 50; i++) {
          r.search(SearchRequest.of(queries.get(i), 10, m)); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          long t0 = System.nanoTime();
          r.search(SearchRequest.of(queries.get(i % queries.size()), 10, m));
          h.recordValue((System.nanoTime() - t0) / 1000);
        }
        rows.add(new Row("in-process Retriever", lower(m), 1, n / secs(start), h, 0));
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
      rows.add(new Row("in-process searchBatch(32)", "dense", 1, batches * 32 / secs(start), h, 0));
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
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String mode : modes) {
        List<byte[]> bodies = new ArrayList<>();
        for (String q : queries) {
          Map<String, Object> b = new LinkedHashMap<>();
          b.put("query", q);
          b.put("k", 10);
          b.put("mode", mode);
          bodies.add(JSON.writeValueAsBytes(b));
        }
        for (int clients : CLIENTS) {
          rows.add(load(http, base.resolve("/v1/search"), bodies, name, mode, clients, seconds));
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

  /** Closed loop: each client sends its next query when the last answer arrived. */
  private static Row load(
      HttpClient http,
      URI url,
      List<byte[]> bodies,
      String system,
      String mode,
      int clients,
      int seconds)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + 2_000_000_000L;
    long end = measureFrom + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<Histogram> hs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Histogram h = new Histogram(3_600_000_000L, 3);
      hs.add(h);
      int first = c;
      Thread t =
          new Thread(
              () -> {
                for (int i = first; ; i += clients) {
                  long t0 = System.nanoTime();
                  if (t0 >= end) {
                    return;
                  }
                  HttpRequest req =
                      HttpRequest.newBuilder(url)
                          .header("Content-Type", "application/json")
                          .timeout(Duration.ofSeconds(30))
                          .POST(
                              HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size())))
                          .build();
                  boolean ok;
                  try {
                    ok =
                        http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
                  } catch (IOException e) {
                    ok = false;
                  } catch (InterruptedException e) {
                    return;
                  }
                  long t1 = System.nanoTime();
                  if (t0 >= measureFrom) {
                    if (ok) {
                      h.recordValue((t1 - t0) / 1000);
                    } else {
                      errors.incrementAndGet();
                    }
                  }
                }
              },
              "load-" + c);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    Histogram all = new Histogram(3_600_000_000L, 3);
    hs.forEach(all::add);
    double qps = all.getTotalCount() / ((end - measureFrom) / 1e9);
    Row r = new Row(system, mode, clients, qps, all, errors.get());
    System.out.printf(
        Locale.ROOT,
        "  %s %s x%d: %.0f QPS, p99 %s ms, %d errors%n",
        system,
        mode,
        clients,
        qps,
        ms(all, 99),
        errors.get());
    return r;
  }

  private static void goals(List<Row> rows) {
    Row dense50 = find(rows, "server, micro-batched", "dense", 50);
    Row bm2550 = find(rows, "server, micro-batched", "bm25", 50);
    Row unbatched50 = find(rows, "server, unbatched", "dense", 50);
    Row unbatched1 = find(rows, "server, unbatched", "dense", 1);
    long errors = rows.stream().mapToLong(Row::errors).sum();
    TextTable t = new TextTable("goal (2 cores)", "measured", "met");
    double d99 = dense50.latency().getValueAtPercentile(99) / 1000.0;
    double b99 = bm2550.latency().getValueAtPercentile(99) / 1000.0;
    t.row(
        "dense p99 < 30 ms at 50 clients",
        ms(dense50.latency(), 99) + " ms",
        d99 < 30 ? "yes" : "NO");
    t.row(
        "BM25 p99 < 10 ms at 50 clients",
        ms(bm2550.latency(), 99) + " ms",
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

  private static String ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2f", h.getValueAtPercentile(percentile) / 1000.0);
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
