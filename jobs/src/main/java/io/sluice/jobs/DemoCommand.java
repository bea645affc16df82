package io.sluice.jobs;

import io.sluice.core.release.Releases;
import io.sluice.core.report.TextTable;
import io.sluice.core.storage.S3ProxyServer;
import io.sluice.core.storage.S3Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.feeder.BatchStream;
import io.sluice.feeder.FeedBatch;
import io.sluice.feeder.FeedRequest;
import io.sluice.feeder.FeedState;
import io.sluice.feeder.FeederClient;
import io.sluice.feeder.FeederServer;
import io.sluice.feeder.Layout;
import io.sluice.server.SearchClient;
import io.sluice.server.SearchServer;
import io.sluice.server.ServerConfig;
import io.sluice.tokenization.Tokenizer;
import io.sluice.tokenization.Tokenizers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: the whole system on the bundled sample ({@code demo/sample}: small,
 * permissively licensed pieces of real data, see its README). Runs the pipeline, publishes the
 * result as a release to an S3-compatible server it starts on loopback, streams packed sequences of
 * that release from the feeder, searches its index, and prints where everything is.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the whole pipeline on the bundled sample, publish a release to a loopback S3, stream"
            + " it from the feeder, search it, and print where everything is.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--sample", defaultValue = "demo/sample", paramLabel = "DIR")
  Path sample;

  @Option(names = "--output", defaultValue = "demo-out", paramLabel = "DIR")
  Path output;

  @Option(names = "--fresh", description = "delete the output first and redo every stage")
  boolean fresh;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(sample)) {
      throw new IllegalArgumentException(
          "bundled sample not found at "
              + sample.toAbsolutePath()
              + " (run from the repository root)");
    }
    if (fresh) {
      deleteTree(output.toString());
    }
    Files.createDirectories(output);
    Path config = output.resolve("pipeline.yaml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "# written by sluice demo",
            "inputs: [" + sample.resolve("web") + ", " + sample.resolve("code") + "]",
            "output: " + output,
            "stages: [ingest, filter, dedup, tokenize, select, index]",
            "tokenize: {tokenizer: llama3}",
            "select: {token_budget: 1.0e9}",
            // the 6-layer tower keeps the demo quick on 2 cores; bge-small is the default
            "index: {dense: flat, tower: all-minilm-l6-v2}",
            ""));
    StorageConfig local = StorageConfig.defaults();
    PipelineConfig pc;
    try (var in = Files.newInputStream(config)) {
      pc = PipelineConfig.read(in, config.toString());
    }
    List<Pipeline.StageRun> runs = new Pipeline(pc, local, System.err).run();
    System.out.println();
    System.out.print(Pipeline.summary(runs));

    String release;
    Path fetched;
    try (S3ProxyServer s3 = S3ProxyServer.start();
        S3Storage storage = new S3Storage(s3.config())) {
      s3.createBucket(storage.client(), "sluice");
      Releases releases = new Releases(s3.config(), quiet());
      System.out.println();
      Releases.Published p =
          releases.publish(
              new Releases.PublishRequest(
                  output,
                  "s3://sluice/releases",
                  "demo",
                  "v1",
                  new com.fasterxml.jackson.databind.ObjectMapper(
                          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                      .readTree(config.toFile()),
                  "The bundled sample's pieces keep their own licences (demo/sample/README.md).",
                  SluiceCli.VERSION));
      release = p.path();
      Releases.Verification v = releases.verify(release);
      System.out.printf(
          "release: published %s on S3 at %s (%d files, %,d bytes); verify: %s%n",
          release,
          s3.endpoint(),
          p.manifest().files().size(),
          p.manifest().totalBytes(),
          v.ok() ? "every sha256 matches" : v.problems());
      Path copies = output.resolve("releases");
      deleteTree(copies.resolve("demo/v1").toString());
      fetched = releases.fetch(release, copies);
      System.out.println("release: fetched and verified into " + fetched.toAbsolutePath());

      System.out.println();
      feed(release, s3.config());
      System.out.println();
      serve(release + "/index", s3.config());
    }

    System.out.println();
    System.out.println("pipeline:  " + config.toAbsolutePath() + "  (stage outputs beside it)");
    System.out.println(
        "release:   " + fetched.toAbsolutePath() + "  (README.md: the dataset card)");
    System.out.println("look:      ./sluice show " + output.resolve("documents") + " --limit 3");
    System.out.println("           ./sluice show " + output.resolve("deduped/removed"));
    System.out.println("serve it:  ./sluice feed --release " + fetched + " --port 8815");
    System.out.println(
        "search it: ./sluice serve --index " + fetched.resolve("index") + " --port 8080");
    System.out.println(
        "           ./sluice query --url http://127.0.0.1:8080 \"what causes tides\"");
    return 0;
  }

  /** Streams two steps to 2 dp × 2 sp ranks from the release on S3 and prints what came. */
  private static void feed(String release, StorageConfig s3) throws Exception {
    int seqLen = 4096;
    Tokenizer llama3 = Tokenizers.byName("llama3");
    TextTable t =
        new TextTable(
            "dp", "sp", "step", "sequence", "tokens", "documents", "first tokens, decoded");
    try (FeederServer server =
            FeederServer.start(
                FeederServer.Options.of(release, 0)
                    .withHost("127.0.0.1")
                    .withStorage(s3)
                    .withCache(Files.createTempDirectory("sluice-demo-feeder"), 1L << 30));
        FeederClient client = FeederClient.connect("127.0.0.1", server.port())) {
      for (int dp = 0; dp < 2; dp++) {
        for (int sp = 0; sp < 2; sp++) {
          FeedRequest r =
              new FeedRequest(seqLen, Layout.ZIGZAG, dp, 2, sp, 2, FeedState.start(0), 2, null);
          try (BatchStream s = client.stream(r)) {
            for (FeedBatch b : s) {
              String head = llama3.decode(Arrays.copyOf(b.inputIds(), 12)).replaceAll("\\s+", " ");
              t.row(
                  dp,
                  sp,
                  b.step(),
                  b.sequence(),
                  b.inputIds().length,
                  b.cuSeqlens().length - 1,
                  head.length() > 50 ? head.substring(0, 50) + "…" : head);
            }
          }
        }
      }
      System.out.printf(
          "feeder: %s from S3 (%d shards, %,d documents, mixture %s), seq_len %d, zigzag%n",
          release, server.shards(), server.documents(), server.mixture(), seqLen);
    }
    System.out.print(t.render());
  }

  /** Starts the retrieval server on the release's index on S3 and asks it a few questions. */
  private static void serve(String index, StorageConfig s3) throws Exception {
    try (SearchServer server =
        SearchServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .storage(s3)
                .cacheDir(Files.createTempDirectory("sluice-demo-server"))
                .build())) {
      server.load(index);
      URI base = URI.create("http://127.0.0.1:" + server.port());
      SearchClient client = new SearchClient(base, null);
      System.out.println(
          "retrieval server: " + base + " serving " + index + " (verified, from S3)");
      for (String[] q :
          new String[][] {
            {"how to open a file and read lines", "hybrid"},
            {"Debian package management", "bm25"},
            {"immune response to viral infection", "dense"}
          }) {
        SearchClient.Result r = client.search(q[0], 3, q[1]);
        System.out.printf("  POST /v1/search %s (%s, %.1f ms)%n", q[0], q[1], r.tookMs());
        for (SearchClient.Hit h : r.hits()) {
          String text = h.text().replaceAll("\\s+", " ");
          System.out.printf(
              "    %.4f  %s  %s%n",
              h.score(), h.docId(), text.length() > 70 ? text.substring(0, 70) + "…" : text);
        }
      }
    }
  }

  private static java.io.PrintStream quiet() {
    return new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
  }

  private static void deleteTree(String dir) throws java.io.IOException {
    try (io.sluice.core.storage.Storage local =
        io.sluice.core.storage.Storage.forPath(dir, StorageConfig.defaults())) {
      local.delete(dir);
    }
  }
}
