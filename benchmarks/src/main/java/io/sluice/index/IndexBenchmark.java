package io.sluice.index;

import io.sluice.core.report.TextTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * {@code ./bench index}: document/query tower throughput and latency on 2 cores, and FAISS Flat
 * (the exact anchor), HNSW, IVF-Flat and IVF-PQ (+ exact re-rank) on synthetic clustered 384-d
 * vectors and on SciFact's bge-small passage vectors: build time, bytes per vector, and search
 * latency p50/p99 and QPS at the smallest setting reaching recall@10 ≥ 0.95 against exact search.
 *
 * <p>Lives in {@code io.sluice.index} (mirroring the code under test) to reach the package-private
 * FAISS and ONNX wrappers. Arguments: {@code index [vectors N] [scifact-index DIR]}.
 */
public final class IndexBenchmark {

  private static final int K = 10;
  private static final int QUERIES = 1000;

  private IndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Path data = Path.of(System.getenv().getOrDefault("SLUICE_SHARED_DATA", "../shared/data"));
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Path sciIndex = args.length > 2 ? Path.of(args[2]) : null;
    out.println(header(data));
    towers(out, data);
    float[] base = clustered(new Random(1), n, 384, 1000);
    float[] queries = clustered(new Random(2), QUERIES, 384, 1000);
    faiss(out, "synthetic clustered 384-d, " + n + " vectors, 1000 clusters", base, queries, 384);
    if (sciIndex != null) {
      float[][] sci = scifactVectors(sciIndex, data);
      faiss(
          out,
          "SciFact bge-small passages (" + sci[0].length / 384 + "), test queries",
          sci[0],
          sci[1],
          384);
    }
  }

  static String header(Path data) throws Exception {
    Runtime rt = Runtime.getRuntime();
    String cpu =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElse("?");
    return String.format(
        Locale.ROOT,
        "cpu:    %s, %d cores visible to the JVM (load average at start: %s)%njdk:    %s %s, max"
            + " heap %d MB%ncommit: %s%ndate:   %s%ndata:   %s%n",
        cpu,
        rt.availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        rt.maxMemory() >> 20,
        System.getProperty("bench.commit", "unknown"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        data);
  }

  /** Passages/s of each tower on 2 threads, and single-query latency. */
  static void towers(PrintStream out, Path data) throws Exception {
    Path sci = data.resolve("retrieval/scifact");
    List<String> passages = new ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper om =
        new com.fasterxml.jackson.databind.ObjectMapper();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(sci.resolve("corpus.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      PassageSplitter split =
          new PassageSplitter(PassageSplitter.WORDS, PassageSplitter.CODE_LINES);
      for (String line; (line = r.readLine()) != null && passages.size() < 96; ) {
        var j = om.readTree(line);
        for (Passage p :
            split.split(
                j.get("_id").asText(),
                j.get("title").asText(),
                j.get("text").asText(),
                "web",
                "en",
                null,
                null,
                null)) {
          passages.add(p.contents());
        }
      }
    }
    List<String> queries = new ArrayList<>(Queries.read(sci.resolve("queries.jsonl")).values());
    queries = queries.subList(0, 200);
    TextTable t =
        new TextTable(
            "tower",
            "model",
            "layers",
            "threads",
            "passages/s",
            "query p50 ms",
            "query p99 ms",
            "notes");
    for (TowerConfig c : List.of(TowerConfig.BGE_SMALL_EN_V15, TowerConfig.ALL_MINILM_L6_V2)) {
      try (OnnxEncoder e = new OnnxEncoder(c, 2, "cpu")) {
        e.encodePassages(passages.subList(0, 32), 16); // warm-up
        long t0 = System.nanoTime();
        e.encodePassages(passages, 16);
        double pps = passages.size() / ((System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < 10; i++) {
          e.encodeQueries(List.of(queries.get(i)), 1);
        }
        double[] ms = new double[queries.size()];
        for (int i = 0; i < ms.length; i++) {
          long q0 = System.nanoTime();
          e.encodeQueries(List.of(queries.get(i)), 1);
          ms[i] = (System.nanoTime() - q0) / 1e6;
        }
        Arrays.sort(ms);
        t.row(
            c == TowerConfig.BGE_SMALL_EN_V15 ? "document" : "query encoder",
            c.name(),
            c == TowerConfig.BGE_SMALL_EN_V15 ? 12 : 6,
            2,
            String.format(Locale.ROOT, "%.1f", pps),
            String.format(Locale.ROOT, "%.1f", ms[ms.length / 2]),
            String.format(Locale.ROOT, "%.1f", ms[(int) (ms.length * 0.99)]),
            passages.size()
                + " SciFact passages (max "
                + c.maxTokens()
                + " tokens), batch 16; "
                + e.truncated()
                + " truncated");
      }
    }
    out.println("Towers (ONNX Runtime 1.20.0, CPU)");
    out.print(t.render());
    out.println();
  }

  /** Unit vectors around seeded random centres (centres from one fixed seed). */
  static float[] clustered(Random r, int n, int dim, int clusters) {
    Random centres = new Random(12345);
    float[] c = new float[clusters * dim];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) centres.nextGaussian();
    }
    float[] v = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(clusters);
      for (int j = 0; j < dim; j++) {
        v[i * dim + j] = c[k * dim + j] + 0.5f * (float) r.nextGaussian();
      }
      OnnxEncoder.normalize(v, i * dim, dim);
    }
    return v;
  }

  static float[][] scifactVectors(Path index, Path data) throws Exception {
    IndexManifest m = IndexManifest.read(index);
    List<float[]> rows = new ArrayList<>();
    for (IndexManifest.Shard s : m.shards()) {
      try (FaissIndex f = FaissIndex.read(index.resolve(s.name()).resolve("dense.faiss"))) {
        for (long i = 0; i < f.size(); i++) {
          rows.add(f.reconstruct(i));
        }
      }
    }
    int d = m.dense().dim();
    float[] base = new float[rows.size() * d];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, base, i * d, d);
    }
    Map<String, String> q = Queries.read(data.resolve("retrieval/scifact/queries.jsonl"));
    Map<String, Map<String, Integer>> test =
        TrecEval.readQrels(data.resolve("retrieval/scifact/qrels/test.tsv"));
    List<String> texts = new ArrayList<>();
    q.forEach(
        (id, text) -> {
          if (test.containsKey(id)) {
            texts.add(text);
          }
        });
    try (OnnxEncoder e = new OnnxEncoder(m.dense().docTower(), 2, "cpu")) {
      return new float[][] {base, e.encodeQueries(texts, 16)};
    }
  }

  static void faiss(PrintStream out, String title, float[] base, float[] queries, int dim)
      throws Exception {
    int n = base.length / dim;
    int nq = queries.length / dim;
    Path tmp = Files.createTempDirectory("sluice-bench-faiss");
    TextTable t =
        new TextTable(
            "index",
            "build s",
            "bytes/vector",
            "setting",
            "recall@10",
            "p50 ms",
            "p99 ms",
            "QPS (2 threads)");
    long[] truth;
    String[] specs = {
      "Flat",
      "HNSW32",
      "IVF" + DenseType.nlist(n) + ",Flat",
      "IVF" + DenseType.nlist(n) + ",PQ" + DenseType.pqM(dim) + "np,RFlat"
    };
    truth = null;
    for (String spec : specs) {
      FaissIndex.threads(2);
      long t0 = System.nanoTime();
      try (FaissIndex idx = FaissIndex.factory(spec, dim, spec, true)) {
        if (!idx.isTrained()) {
          int train = (int) Math.min(n, 40L * DenseType.nlist(n));
          idx.train(Arrays.copyOf(base, train * dim));
        }
        idx.add(base);
        double build = (System.nanoTime() - t0) / 1e9;
        Path file = tmp.resolve(spec.replace(',', '_'));
        idx.write(file);
        double bytesPerVector = (double) Files.size(file) / n;
        Files.delete(file);
        if (truth == null) {
          truth = idx.search(queries, K).labels();
        }
        String[] param =
            spec.startsWith("HNSW")
                ? new String[] {"efSearch"}
                : spec.startsWith("IVF") ? new String[] {"nprobe"} : new String[0];
        double[] values =
            spec.startsWith("HNSW")
                ? new double[] {16, 32, 64, 128, 256, 512}
                : spec.startsWith("IVF")
                    ? new double[] {1, 2, 4, 8, 16, 32, 64, 128, 256}
                    : new double[] {0};
        if (spec.contains("RFlat")) {
          idx.parameter("k_factor_rf", 4);
        }
        String setting = "exact";
        double recall = 1;
        for (double v : values) {
          if (param.length > 0) {
            idx.parameter(param[0], v);
            setting = param[0] + "=" + (int) v + (spec.contains("RFlat") ? ", k_factor_rf=4" : "");
          }
          recall = recall(idx.search(queries, K).labels(), truth, nq);
          if (recall >= 0.95) {
            break;
          }
        }
        // Latency: one query at a time on one thread; QPS: the whole batch on 2 threads.
        FaissIndex.threads(1);
        double[] ms = new double[nq];
        for (int q = 0; q < nq; q++) {
          float[] one = Arrays.copyOfRange(queries, q * dim, (q + 1) * dim);
          long q0 = System.nanoTime();
          idx.search(one, K);
          ms[q] = (System.nanoTime() - q0) / 1e6;
        }
        Arrays.sort(ms);
        FaissIndex.threads(2);
        long b0 = System.nanoTime();
        idx.search(queries, K);
        double qps = nq / ((System.nanoTime() - b0) / 1e9);
        t.row(
            spec,
            String.format(Locale.ROOT, "%.1f", build),
            String.format(Locale.ROOT, "%.0f", bytesPerVector),
            setting,
            String.format(Locale.ROOT, "%.3f", recall),
            String.format(Locale.ROOT, "%.3f", ms[nq / 2]),
            String.format(Locale.ROOT, "%.3f", ms[(int) (nq * 0.99)]),
            String.format(Locale.ROOT, "%.0f", qps));
      }
    }
    out.println("FAISS 1.7.3 (JavaCPP), inner product, k=10, " + nq + " queries: " + title);
    out.print(t.render());
    out.println();
  }

  private static double recall(long[] got, long[] truth, int nq) {
    long hit = 0;
    for (int q = 0; q < nq; q++) {
      for (int i = 0; i < K; i++) {
        long want = truth[q * K + i];
        for (int j = 0; j < K; j++) {
          if (got[q * K + j] == want) {
            hit++;
            break;
          }
        }
      }
    }
    return (double) hit / (nq * (long) K);
  }
}
