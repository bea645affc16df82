package io.sluice.server;

import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.testing.SharedData;
import io.sluice.index.DenseType;
import io.sluice.index.IndexJob;
import io.sluice.index.TowerConfig;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A small real index for the server tests: the first {@link #DOCUMENTS} SciFact documents, BM25
 * plus an exact (Flat) FAISS index over all-MiniLM-L6-v2 vectors, built once per test JVM through
 * the index module's {@link IndexJob} and kept in JUnit's root store (deleted when the run ends).
 */
final class TestIndex implements ExtensionContext.Store.CloseableResource {

  static final int DOCUMENTS = 200;

  final Path root;
  final Path dir;

  private TestIndex(Path root, Path dir) {
    this.root = root;
    this.dir = dir;
  }

  /** Injects the shared {@link TestIndex} into test and lifecycle methods that ask for one. */
  static final class Resolver implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == TestIndex.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return get(e);
    }
  }

  /** The shared index, built on first use. */
  static TestIndex get(ExtensionContext ctx) {
    return ctx.getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(TestIndex.class, k -> build(), TestIndex.class);
  }

  private static TestIndex build() {
    try {
      Path root = Files.createTempDirectory("sluice-server-test");
      Path corpus = root.resolve("scifact-" + DOCUMENTS + ".jsonl");
      Path src = SharedData.file("retrieval/scifact/corpus.jsonl.gz");
      try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(
                      new GZIPInputStream(Files.newInputStream(src)), StandardCharsets.UTF_8));
          BufferedWriter out = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8)) {
        for (int i = 0; i < DOCUMENTS; i++) {
          out.write(in.readLine());
          out.newLine();
        }
      }
      Path dir = root.resolve("index-v1");
      System.setProperty("spark.master", "local[2]");
      SparkSession spark = SparkSessions.create("server-test", StorageConfig.defaults());
      try {
        new IndexJob(spark)
            .run(
                IndexJob.Options.builder(corpus.toString(), dir.toString())
                    .dense(DenseType.FLAT)
                    .docTower(TowerConfig.ALL_MINILM_L6_V2)
                    .build(),
                null);
      } finally {
        spark.stop();
        System.clearProperty("spark.master");
      }
      return new TestIndex(root, dir);
    } catch (IOException e) {
      throw new IllegalStateException("building the test index failed", e);
    }
  }

  /** A byte-for-byte copy of the index (another "version" to swap to). */
  Path copy(String name) throws IOException {
    Path to = root.resolve(name);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** A copy with one byte of its FAISS file flipped, so its sha256 no longer matches. */
  Path corruptCopy(String name) throws IOException {
    Path to = copy(name);
    try (Stream<Path> s = Files.walk(to)) {
      Path f = s.filter(p -> p.getFileName().toString().equals("dense.faiss")).findFirst().get();
      byte[] b = Files.readAllBytes(f);
      b[b.length / 2] ^= 0x5a;
      Files.write(f, b);
    }
    return to;
  }

  @Override
  public void close() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
