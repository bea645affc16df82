package io.sluice.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * A pipeline run as {@code pipeline.yaml} describes it. Every section but {@code inputs} and {@code
 * output} is optional; a key the config does not know is an error (a typo must not silently fall
 * back to a default).
 *
 * <pre>{@code
 * inputs: [../shared/data/web/warc, ../shared/data/code/code-python.jsonl.gz]
 * output: out                       # out/documents, out/scored, out/deduped, out/tokens, ...
 * stages: [ingest, filter, dedup, tokenize, select, index]   # default: all, in this order
 * filter: {buckets: 4}
 * dedup: {threshold: 0.7, bands: 14, rows: 8, shingle: 5, per_source: false}
 * tokenize: {tokenizer: llama3, shard_tokens: 134217728}
 * select: {token_budget: 1.0e9}
 * index: {dense: flat, tower: bge-small-en-v1.5}
 * }</pre>
 */
record PipelineConfig(
    List<String> inputs,
    String output,
    List<String> stages,
    Ingest ingest,
    Filter filter,
    Dedup dedup,
    Tokenize tokenize,
    Select select,
    Index index) {

  /** The stages in the order they run. */
  static final List<String> ALL_STAGES =
      List.of("ingest", "filter", "dedup", "tokenize", "select", "index");

  record Ingest(String source) {}

  record Filter(Integer buckets) {}

  record Dedup(
      Double threshold,
      Integer bands,
      Integer rows,
      Integer shingle,
      @JsonProperty("per_source") Boolean perSource) {}

  record Tokenize(String tokenizer, @JsonProperty("shard_tokens") Long shardTokens) {}

  record Select(@JsonProperty("token_budget") Double tokenBudget) {}

  /**
   * @param tower the document tower: bge-small-en-v1.5 (default), all-minilm-l6-v2, or a .onnx path
   */
  record Index(String dense, String tower) {}

  PipelineConfig {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("pipeline config: 'inputs' must list at least one path");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("pipeline config: 'output' is required");
    }
    output = output.replaceAll("/+$", "");
    stages = stages == null ? ALL_STAGES : stages;
    for (String s : stages) {
      if (!ALL_STAGES.contains(s)) {
        throw new IllegalArgumentException(
            "pipeline config: unknown stage '" + s + "' (stages are " + ALL_STAGES + ")");
      }
    }
    for (int i = 1; i < stages.size(); i++) {
      if (ALL_STAGES.indexOf(stages.get(i)) <= ALL_STAGES.indexOf(stages.get(i - 1))) {
        throw new IllegalArgumentException(
            "pipeline config: stages must be listed once each, in the order " + ALL_STAGES);
      }
    }
    ingest = ingest == null ? new Ingest(null) : ingest;
    filter = filter == null ? new Filter(null) : filter;
    dedup = dedup == null ? new Dedup(null, null, null, null, null) : dedup;
    tokenize = tokenize == null ? new Tokenize(null, null) : tokenize;
    select = select == null ? new Select(null) : select;
    index = index == null ? new Index(null, null) : index;
  }

  boolean runs(String stage) {
    return stages.contains(stage);
  }

  /** Where a stage's output goes: {@code <output>/<dir>}. */
  String dir(String name) {
    return output + "/" + name;
  }

  static PipelineConfig read(InputStream in, String name) throws IOException {
    ObjectMapper yaml =
        new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    try {
      PipelineConfig c = yaml.readValue(in, PipelineConfig.class);
      if (c == null) {
        throw new IllegalArgumentException("pipeline config " + name + " is empty");
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "pipeline config "
              + name
              + ": unknown key '"
              + e.getPropertyName()
              + "' at "
              + path(e)
              + " (known: "
              + e.getKnownPropertyIds()
              + ")");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae) {
        throw new IllegalArgumentException(
            iae.getMessage().replace("pipeline config", "pipeline config " + name), iae);
      }
      throw new IllegalArgumentException(
          "pipeline config " + name + ": " + e.getOriginalMessage() + " at " + path(e));
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      sb.append(sb.length() == 0 ? "" : ".")
          .append(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
    }
    int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
    return (sb.length() == 0 ? "top level" : sb)
        + (line > 0 ? String.format(Locale.ROOT, " (line %d)", line) : "");
  }
}
