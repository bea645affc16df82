package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.report.TextTable;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.storage.Storage;
import io.sluice.filtering.select.MixturePlanner;
import io.sluice.filtering.select.SelectionConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice select}: the compute-aware mixture for a token budget, from the bucket sizes in a
 * scored stage's {@code stats.json}, written as {@code mixture.json} (the plan the training feeder
 * follows).
 */
@Command(
    name = "select",
    mixinStandardHelpOptions = true,
    description =
        "Choose which quality buckets to train on, and how many epochs, for a token budget (Goyal"
            + " et al. 2024).")
public final class SelectCommand implements Callable<Integer> {

  /**
   * Epochs above which a plan is flagged: past about 16 the data-constrained scaling law gives
   * repeated tokens almost no value (R*_D ≈ 15), so such a budget wants more data, not more passes.
   */
  static final double MAX_SENSIBLE_EPOCHS = 64;

  @Option(
      names = "--scored",
      required = true,
      paramLabel = "DIR",
      description = "a scored stage output (sluice filter)")
  String scored;

  @Option(
      names = "--tokens",
      paramLabel = "DIR",
      description =
          "the tokenized stage (sluice tokenize) of the deduplicated documents: buckets are sized"
              + " by their real token counts (default: estimated from the scored stage's bytes)")
  String tokens;

  @Option(
      names = "--token-budget",
      required = true,
      paramLabel = "N",
      description = "tokens the model will be trained on")
  double budget;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "scaling parameters JSON (default: the paper's published fit; see 'sluice fit')")
  String config;

  @Option(names = "--output", required = true, paramLabel = "mixture.json")
  String output;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    SelectionConfig params;
    JsonNode stats;
    ObjectMapper json = new ObjectMapper();
    String statsPath = scored.replaceAll("/+$", "") + "/" + StageOutput.STATS;
    try (Storage storage = Storage.forPath(scored, s3.config())) {
      if (!storage.exists(scored.replaceAll("/+$", "") + "/" + StageOutput.SUCCESS)) {
        throw new IllegalArgumentException(
            scored + " is not a committed scored stage (no _SUCCESS)");
      }
      try (InputStream in = storage.open(statsPath)) {
        stats = json.readTree(in);
      }
    }
    if (config == null) {
      params = SelectionConfig.defaults();
    } else {
      try (Storage storage = Storage.forPath(config, s3.config());
          InputStream in = storage.open(config)) {
        params = SelectionConfig.read(in, config);
      }
    }
    if (!stats.path("buckets").isArray() || stats.path("buckets").isEmpty()) {
      throw new IllegalArgumentException(
          statsPath + " has no 'buckets': is it the output of sluice filter?");
    }
    List<MixturePlanner.BucketSize> sizes = new ArrayList<>();
    Map<String, Object> tokenSource = new LinkedHashMap<>();
    if (tokens == null) {
      for (JsonNode b : stats.path("buckets")) {
        sizes.add(
            new MixturePlanner.BucketSize(
                b.path("bucket").asInt(), b.path("estimated_tokens").asDouble()));
      }
      tokenSource.put("kind", "estimate");
      tokenSource.put("from", statsPath);
      tokenSource.put(
          "bytes_per_token",
          stats.path("bytes_per_token_estimate").asDouble(params.bytesPerToken()));
      System.err.println(
          "select: bucket sizes estimated from the scored stage's bytes (before dedup); give"
              + " --tokens DIR (sluice tokenize's output) to plan from the tokens that will be fed");
    } else {
      sizes = tokenCounts(tokens, json);
      tokenSource.put("kind", "tokens");
      tokenSource.put("from", tokens.replaceAll("/+$", "") + "/" + StageOutput.STATS);
    }
    MixturePlanner.Plan plan = new MixturePlanner(params).plan(sizes, budget);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scored", scored);
    out.put("token_budget", budget);
    out.put("k_star", plan.best().k());
    out.put("predicted_loss", plan.best().predictedLoss());
    boolean inRange = new MixturePlanner(params).inFittedRange(budget);
    out.put("in_fitted_range", inRange);
    if (!inRange) {
      System.err.println(
          "select: warning: the budget is below the scaling law's range (a*S/Z <= 1 with these"
              + " parameters); predicted losses there are not meaningful");
    }
    List<Map<String, Object>> buckets = new ArrayList<>();
    for (MixturePlanner.BucketSize s : sizes) {
      if (plan.best().buckets().contains(s.bucket())) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("bucket", s.bucket());
        b.put("tokens", Math.round(s.tokens()));
        b.put("epochs", plan.best().epochs());
        b.put("b", params.bucket(s.bucket()).b());
        b.put("tau", params.bucket(s.bucket()).tau());
        buckets.add(b);
      }
    }
    out.put("buckets", buckets);
    List<String> warnings = new ArrayList<>();
    if (plan.best().epochs() > MAX_SENSIBLE_EPOCHS) {
      warnings.add(
          String.format(
              java.util.Locale.ROOT,
              "the plan repeats its buckets %.3g times: the budget of %.3g tokens is far beyond"
                  + " the %.3g tokens of the data; repeated tokens lose their value after a few"
                  + " epochs (Muennighoff et al.), and the feeder refuses passes it cannot plan",
              plan.best().epochs(),
              budget,
              plan.best().tokens()));
    }
    for (String w : warnings) {
      System.err.println("select: warning: " + w);
    }
    out.put("warnings", warnings);
    List<Map<String, Object>> candidates = new ArrayList<>();
    TextTable table = new TextTable("k", "buckets", "tokens", "epochs", "predicted loss", "");
    for (MixturePlanner.Candidate c : plan.candidates()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("k", c.k());
      m.put("buckets", c.buckets());
      m.put("tokens", Math.round(c.tokens()));
      m.put("epochs", c.epochs());
      m.put("predicted_loss", c.predictedLoss());
      candidates.add(m);
      table.row(
          c.k(),
          c.buckets(),
          Math.round(c.tokens()),
          c.epochs(),
          c.predictedLoss(),
          c == plan.best() ? "<- k*" : "");
    }
    out.put("candidates", candidates);
    out.put("token_source", tokenSource);
    out.put("parameters", params.source());
    try (Storage storage = Storage.forPath(output, s3.config());
        OutputStream o = storage.create(output)) {
      o.write(
          json.enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(out)
              .getBytes(StandardCharsets.UTF_8));
    }
    System.out.printf(
        "select: budget %,.0f tokens -> k* = %d (buckets %s, %.2f epochs) -> %s%n%n",
        budget, plan.best().k(), plan.best().buckets(), plan.best().epochs(), output);
    System.out.print(table.render());
    return 0;
  }

  /**
   * Tokens per quality bucket as the feeder streams them (each document and its end-of-text
   * token), from a tokenize stage's {@code stats.json}. Documents without a bucket are not part
   * of any mixture and are left out.
   */
  private List<MixturePlanner.BucketSize> tokenCounts(String dir, ObjectMapper json)
      throws java.io.IOException {
    String base = dir.replaceAll("/+$", "");
    JsonNode t;
    try (Storage storage = Storage.forPath(dir, s3.config())) {
      if (!storage.exists(base + "/" + StageOutput.SUCCESS)) {
        throw new IllegalArgumentException(dir + " is not a committed tokens stage (no _SUCCESS)");
      }
      try (InputStream in = storage.open(base + "/" + StageOutput.STATS)) {
        t = json.readTree(in);
      }
    }
    if (!t.path("buckets").isArray()) {
      throw new IllegalArgumentException(
          base
              + "/"
              + StageOutput.STATS
              + " has no 'buckets' (token counts per quality bucket): tokenize it again with"
              + " this version (--force)");
    }
    List<MixturePlanner.BucketSize> sizes = new ArrayList<>();
    for (JsonNode b : t.path("buckets")) {
      if (!b.path("bucket").isNull() && b.path("stream_tokens").asLong() > 0) {
        sizes.add(
            new MixturePlanner.BucketSize(
                b.path("bucket").asInt(), b.path("stream_tokens").asDouble()));
      }
    }
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException(
          dir + " holds no tokens in quality buckets: was it tokenized from a scored stage?");
    }
    return sizes;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new SelectCommand(), args));
  }
}
