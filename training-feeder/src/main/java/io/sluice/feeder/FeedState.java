package io.sluice.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a data-parallel group stands in the stream: the next global sequence its rank 0 reads is
 * sequence {@code sequence} of pass {@code epoch} of the order drawn with {@code seed}. The same
 * state is valid for every rank and every dp_size, which is what makes resume after a change of
 * dp_size exact.
 *
 * @param seed seed of the global order (the shuffle of every pass)
 * @param epoch pass over the mixture, from 0
 * @param sequence index of the next sequence within the pass, from 0
 */
public record FeedState(long seed, long epoch, long sequence) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public FeedState {
    if (epoch < 0 || sequence < 0) {
      throw new IllegalArgumentException(
          "feed state: epoch and sequence must be >= 0, got " + epoch + ", " + sequence);
    }
  }

  /** The start of the stream drawn with {@code seed}. */
  public static FeedState start(long seed) {
    return new FeedState(seed, 0, 0);
  }

  /** {@code {"seed":…,"epoch":…,"sequence":…}} */
  public String toJson() {
    return toNode().toString();
  }

  ObjectNode toNode() {
    return JSON.createObjectNode().put("seed", seed).put("epoch", epoch).put("sequence", sequence);
  }

  /** Parses what {@link #toJson} writes; a missing or non-integer field is an error naming it. */
  public static FeedState fromJson(String json) {
    try {
      return fromNode(JSON.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("feed state is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  static FeedState fromNode(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("feed state must be a JSON object, got " + node);
    }
    for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("seed") && !field.equals("epoch") && !field.equals("sequence")) {
        throw new IllegalArgumentException(
            "feed state: unknown field '" + field + "' (fields are seed, epoch, sequence)");
      }
    }
    return new FeedState(integer(node, "seed"), integer(node, "epoch"), integer(node, "sequence"));
  }

  private static long integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(
          "feed state: field '" + field + "' must be an integer, got " + v);
    }
    return v.asLong();
  }
}
