package io.sluice.tokenization;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Single-thread encode throughput, Sluice vs jtokkit (cl100k, o200k) and vs Hugging Face tokenizers
 * through DJL (llama3, qwen3), on mixed text and code from {@code ../shared/data}.
 *
 * <p>A plain main class, not a test (run it by hand; it belongs in a JMH module later):
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -q -o -pl tokenization test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/tok.cp -Dmdep.includeScope=test
 * OPT_OUT_TRACKING=true java -cp tokenization/target/classes:tokenization/target/test-classes:$(cat /tmp/tok.cp) \
 *     -Dsluice.shared.data=../shared/data io.sluice.tokenization.TokenizerThroughput [MB] [models]
 * </pre>
 *
 * Reports MB/s of UTF-8 input, median of 3 timed runs after 2 warm-up runs.
 */
public final class TokenizerThroughput {
  private TokenizerThroughput() {}

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<String> models =
        args.length > 1
            ? Arrays.asList(args[1].split(","))
            : List.of("cl100k_base", "o200k_base", "llama3", "qwen3");
    List<String> docs = new ArrayList<>();
    long bytes = 0;
    // About half text (handbook, reference) and half code, per group in proportion.
    List<SharedCorpus.Group> groups = SharedCorpus.load(megabytes * 1_000_000 / 100, 1 << 30);
    for (SharedCorpus.Group g : groups) {
      docs.addAll(g.docs());
    }
    for (String d : docs) {
      bytes += d.getBytes(StandardCharsets.UTF_8).length;
    }
    System.out.printf(
        "corpus: %d documents, %.1f MB UTF-8, JDK %s, %d CPUs%n",
        docs.size(),
        bytes / 1e6,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Path tmp = Files.createTempDirectory("tok-bench");
    for (String model : models) {
      Tokenizer sluice = Tokenizers.byName(model);
      report(model, "sluice", docs, bytes, text -> sluice.encode(text).length);
      if (model.endsWith("_base")) {
        Encoding jt =
            Encodings.newDefaultEncodingRegistry()
                .getEncoding(
                    model.equals("cl100k_base")
                        ? EncodingType.CL100K_BASE
                        : EncodingType.O200K_BASE);
        report(model, "jtokkit", docs, bytes, text -> jt.encodeOrdinary(text).size());
      } else {
        Path json = HuggingFaceExactnessTest.bundledJson(model, tmp);
        try (HuggingFaceTokenizer hf =
            HuggingFaceTokenizer.newInstance(
                json,
                Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"))) {
          report(
              model, "djl-hf", docs, bytes, text -> hf.encode(text, false, false).getIds().length);
        }
      }
    }
  }

  private static void report(
      String model, String impl, List<String> docs, long bytes, ToIntFunction<String> encode) {
    double[] mbps = new double[3];
    long tokens = 0;
    for (int run = -2; run < 3; run++) {
      long t0 = System.nanoTime();
      tokens = 0;
      for (String d : docs) {
        tokens += encode.applyAsInt(d);
      }
      long ns = System.nanoTime() - t0;
      if (run >= 0) {
        mbps[run] = bytes / 1e6 / (ns / 1e9);
      }
    }
    Arrays.sort(mbps);
    System.out.printf(
        "%-12s %-8s %8.2f MB/s (runs %.2f %.2f %.2f), %d tokens%n",
        model, impl, mbps[1], mbps[0], mbps[1], mbps[2], tokens);
  }
}
