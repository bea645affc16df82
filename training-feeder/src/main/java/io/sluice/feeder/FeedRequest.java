package io.sluice.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * What one training rank asks the feeder for; its JSON form is the Flight ticket, so any Flight
 * client can build one by hand:
 *
 * <pre>{@code
 * {"seq_len": 1048576, "layout": "zigzag", "dp_rank": 0, "dp_size": 2, "sp_rank": 3, "sp_size": 8,
 *  "state": {"seed": 1234, "epoch": 0, "sequence": 0}, "steps": 0}
 * }</pre>
 *
 * <p>Invariants (checked on construction, with a message naming the field): {@code 0 < seq_len ≤
 * 2^20}, ranks in range, {@code seq_len} divisible as the layout needs, {@code steps ≥ 0} (0 means
 * until the client cancels).
 *
 * @param release optional name the server's release must have (null: whatever it serves)
 */
public record FeedRequest(
    int seqLen,
    Layout layout,
    int dpRank,
    int dpSize,
    int spRank,
    int spSize,
    FeedState state,
    long steps,
    String release) {

  /** The longest sequence the feeder packs: 2^20 tokens. */
  public static final int MAX_SEQ_LEN = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ticket's fields; any other is refused, so a misspelt one is not silently ignored. */
  private static final java.util.Set<String> FIELDS =
      java.util.Set.of(
          "seq_len", "layout", "dp_rank", "dp_size", "sp_rank", "sp_size", "state", "steps",
          "release");

  public FeedRequest {
    require(seqLen > 0 && seqLen <= MAX_SEQ_LEN, "seq_len must be in [1, 1048576], got " + seqLen);
    require(layout != null, "layout is required");
    require(dpSize >= 1, "dp_size must be >= 1, got " + dpSize);
    require(spSize >= 1, "sp_size must be >= 1, got " + spSize);
    require(
        dpRank >= 0 && dpRank < dpSize,
        "dp_rank must be in [0, dp_size = " + dpSize + "), got " + dpRank);
    require(
        spRank >= 0 && spRank < spSize,
        "sp_rank must be in [0, sp_size = " + spSize + "), got " + spRank);
    require(state != null, "state is required");
    require(steps >= 0, "steps must be >= 0 (0 = unbounded), got " + steps);
    String divisibility = layout.divisibilityError(seqLen, spSize);
    require(divisibility == null, divisibility);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("feed request: " + message);
    }
  }

  /** The same request, starting from {@code s} (what {@link BatchStream#state()} returned). */
  public FeedRequest withState(FeedState s) {
    return new FeedRequest(seqLen, layout, dpRank, dpSize, spRank, spSize, s, steps, release);
  }

  /** Tokens per column this rank receives per step. */
  public int sliceLength() {
    return seqLen / spSize;
  }

  /** The ticket bytes (UTF-8 JSON). */
  public byte[] toTicket() {
    ObjectNode n =
        JSON.createObjectNode()
            .put("seq_len", seqLen)
            .put("layout", layout.wireName())
            .put("dp_rank", dpRank)
            .put("dp_size", dpSize)
            .put("sp_rank", spRank)
            .put("sp_size", spSize)
            .put("steps", steps);
    n.set("state", state.toNode());
    if (release != null) {
      n.put("release", release);
    }
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a ticket; any missing or malformed field is an error naming it. */
  public static FeedRequest fromTicket(byte[] ticket) {
    JsonNode n;
    try {
      n = JSON.readTree(new String(ticket, StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "feed request: ticket is not JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("feed request: ticket must be a JSON object");
    }
    for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "feed request: unknown field '" + field + "' (fields are " + FIELDS + ")");
      }
    }
    JsonNode state = n.get("state");
    JsonNode layout = n.get("layout");
    JsonNode release = n.get("release");
    return new FeedRequest(
        (int) integer(n, "seq_len", null),
        layout == null ? Layout.CONTIGUOUS : Layout.parse(layout.asText()),
        (int) integer(n, "dp_rank", 0L),
        (int) integer(n, "dp_size", 1L),
        (int) integer(n, "sp_rank", 0L),
        (int) integer(n, "sp_size", 1L),
        state == null || state.isNull() ? FeedState.start(0) : FeedState.fromNode(state),
        integer(n, "steps", 0L),
        release == null || release.isNull() ? null : release.asText());
  }

  private static long integer(JsonNode n, String field, Long fallback) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new IllegalArgumentException("feed request: field '" + field + "' is required");
      }
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() && !field.equals("steps")) {
      throw new IllegalArgumentException(
          "feed request: field '" + field + "' must be an integer, got " + v);
    }
    return v.asLong();
  }
}
