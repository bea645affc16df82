package io.sluice.filtering.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parameters of compute-aware selection, read from JSON:
 *
 * <pre>{
 *   "a": 0.025, "d": 0.1, "normalizer": 100000,
 *   "tokens_per_sample": 1024, "bytes_per_token": 4.0,
 *   "buckets": [{"bucket": 0, "b": -0.16, "tau": 6.727}, ...]
 * }</pre>
 *
 * The defaults ({@link #defaults()}, {@code selection-defaults.json}) are the authors' published
 * fit {@code tmars_imagenet1k_utility} (Goyal et al. 2024, {@code results/parameter_values.jsonl}):
 * four buckets of 10% of a 128M-sample pool ranked by T-MARS score, on image-text data. They show
 * the method's behaviour; for a language model, refit them with {@code sluice fit} from a few small
 * training runs per bucket. A sample is {@code tokens_per_sample} tokens; bucket sizes are
 * estimated from bytes with {@code bytes_per_token} until token counts are known.
 */
public record SelectionConfig(
    ScalingLaw law,
    double tokensPerSample,
    double bytesPerToken,
    List<BucketParams> buckets,
    String source) {

  public SelectionConfig {
    if (buckets == null || buckets.isEmpty()) {
      throw new IllegalArgumentException("selection config needs at least one bucket");
    }
    buckets = buckets.stream().sorted(Comparator.comparingInt(BucketParams::bucket)).toList();
    if (!(tokensPerSample > 0) || !(bytesPerToken > 0)) {
      throw new IllegalArgumentException("tokens_per_sample and bytes_per_token must be positive");
    }
  }

  public static SelectionConfig defaults() {
    String resource = "/io/sluice/filtering/select/selection-defaults.json";
    try (InputStream in = SelectionConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return read(in, resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  public static SelectionConfig read(InputStream in, String name) throws IOException {
    JsonNode root = new ObjectMapper().readTree(in);
    if (root == null || !root.isObject()) {
      throw new IOException("selection config " + name + " is not a JSON object");
    }
    List<BucketParams> buckets = new ArrayList<>();
    JsonNode list = root.path("buckets");
    if (!list.isArray()) {
      throw new IOException("selection config " + name + " has no 'buckets' array");
    }
    for (JsonNode b : list) {
      buckets.add(
          new BucketParams(
              required(b, "bucket", name).asInt(),
              required(b, "b", name).asDouble(),
              required(b, "tau", name).asDouble()));
    }
    return new SelectionConfig(
        new ScalingLaw(
            required(root, "a", name).asDouble(),
            required(root, "d", name).asDouble(),
            root.path("normalizer").asDouble(100_000)),
        root.path("tokens_per_sample").asDouble(1024),
        root.path("bytes_per_token").asDouble(4.0),
        buckets,
        root.path("source").asText(name));
  }

  private static JsonNode required(JsonNode node, String field, String name) throws IOException {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new IOException(
          "selection config "
              + name
              + ": field '"
              + field
              + "' missing or not a number in "
              + node);
    }
    return v;
  }

  public BucketParams bucket(int id) {
    for (BucketParams b : buckets) {
      if (b.bucket() == id) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "no scaling parameters for quality bucket "
            + id
            + "; the config ("
            + source
            + ") has buckets "
            + buckets.stream().map(BucketParams::bucket).toList());
  }
}
