package io.sluice.index;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Which ONNX encoder a tower runs and how: model and tokenizer locations, pooling, the prefixes
 * that models such as e5 ({@code "query: "}/{@code "passage: "}) or bge expect, and the maximum
 * input length in tokens (longer inputs are truncated and counted).
 *
 * <p>Locations are file paths or {@code classpath:/name} for the models bundled through the
 * langchain4j model jars (their {@code .onnx} and {@code -tokenizer.json} resources, used
 * directly).
 *
 * @param name a label recorded in the index manifest
 * @param model the {@code .onnx} file
 * @param tokenizer the Hugging Face {@code tokenizer.json}
 * @param pooling {@code cls} or {@code mean}
 * @param queryPrefix prepended to queries
 * @param passagePrefix prepended to passages
 * @param maxTokens inputs are cut to this many tokens, special tokens included
 */
public record TowerConfig(
    String name,
    String model,
    String tokenizer,
    String pooling,
    String queryPrefix,
    String passagePrefix,
    int maxTokens)
    implements Serializable {

  /** bge-small-en-v1.5: 12 layers, 384-d, CLS pooling; the default document tower. */
  public static final TowerConfig BGE_SMALL_EN_V15 =
      new TowerConfig(
          "bge-small-en-v1.5",
          "classpath:/bge-small-en-v1.5.onnx",
          "classpath:/bge-small-en-v1.5-tokenizer.json",
          "cls",
          "Represent this sentence for searching relevant passages: ",
          "",
          512);

  /** all-MiniLM-L6-v2: 6 layers, 384-d, mean pooling; the query tower's encoder. */
  public static final TowerConfig ALL_MINILM_L6_V2 =
      new TowerConfig(
          "all-minilm-l6-v2",
          "classpath:/all-minilm-l6-v2.onnx",
          "classpath:/all-minilm-l6-v2-tokenizer.json",
          "mean",
          "",
          "",
          256);

  public TowerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizer, "tokenizer");
    pooling = pooling == null ? "mean" : pooling.toLowerCase(Locale.ROOT);
    if (!pooling.equals("cls") && !pooling.equals("mean")) {
      throw new IllegalArgumentException("pooling must be cls or mean, got '" + pooling + "'");
    }
    queryPrefix = queryPrefix == null ? "" : queryPrefix;
    passagePrefix = passagePrefix == null ? "" : passagePrefix;
    if (maxTokens < 3) {
      throw new IllegalArgumentException("max tokens must be at least 3, got " + maxTokens);
    }
  }

  /** A bundled model by name ({@code bge-small-en-v1.5}, {@code all-minilm-l6-v2}). */
  public static TowerConfig bundled(String name) {
    for (TowerConfig c : new TowerConfig[] {BGE_SMALL_EN_V15, ALL_MINILM_L6_V2}) {
      if (c.name().equalsIgnoreCase(name) || c.name().replace(".", "").equalsIgnoreCase(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '"
            + name
            + "' (bundled: bge-small-en-v1.5, all-minilm-l6-v2; or give an .onnx path)");
  }

  /**
   * A bundled model by name, or a model file with its tokenizer next to it ({@code X.onnx} and
   * {@code X-tokenizer.json} or {@code tokenizer.json}) when {@code nameOrPath} ends in {@code
   * .onnx}.
   */
  public static TowerConfig of(String nameOrPath, String tokenizer, String pooling) {
    if (!nameOrPath.endsWith(".onnx")) {
      return bundled(nameOrPath);
    }
    String tok = tokenizer;
    if (tok == null) {
      String stem = nameOrPath.substring(0, nameOrPath.length() - ".onnx".length());
      java.nio.file.Path sibling = java.nio.file.Path.of(stem + "-tokenizer.json");
      tok =
          java.nio.file.Files.exists(sibling)
              ? sibling.toString()
              : java.nio.file.Path.of(nameOrPath).resolveSibling("tokenizer.json").toString();
    }
    String name = java.nio.file.Path.of(nameOrPath).getFileName().toString();
    return new TowerConfig(name, nameOrPath, tok, pooling, "", "", 512);
  }

  public TowerConfig withPrefixes(String query, String passage) {
    return new TowerConfig(name, model, tokenizer, pooling, query, passage, maxTokens);
  }
}
