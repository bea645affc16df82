package io.sluice.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a {@code POST /v1/search} body into validated {@link SearchRequest}s, or refuses it with a
 * 400 {@link ApiException} whose code is stable and whose message names the field and the value.
 *
 * <p>A body is one query {@code {"query", "k", "mode", "filters": {"lang", "kind", "source"}}} or a
 * batch {@code {"queries": [...], "k", "mode", "filters"}} whose elements are strings or query
 * objects; fields a batch element leaves out come from the top level. Unknown fields are refused
 * rather than ignored, so a misspelt {@code "fitlers"} is not silently unfiltered. Immutable and
 * thread-safe.
 */
final class SearchParser {

  static final int DEFAULT_K = 10;
  private static final Set<String> TOP = Set.of("query", "queries", "k", "mode", "filters");
  private static final Set<String> ONE = Set.of("query", "k", "mode", "filters");
  private static final Set<String> FILTERS = Set.of("lang", "kind", "source");

  /** The parsed body: its requests, and whether it was a batch (answered as a list). */
  record Parsed(List<SearchRequest> requests, boolean batch) {}

  private final ObjectMapper json =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();
  private final ServerConfig limits;

  SearchParser(ServerConfig limits) {
    this.limits = limits;
  }

  /**
   * @param defaultMode the mode of a query that names none
   */
  Parsed parse(byte[] body, SearchMode defaultMode) {
    JsonNode root = tree(body);
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "invalid_request", "the body must be a JSON object, got " + kind(root));
    }
    checkFields(root, TOP, "");
    boolean one = root.has("query");
    boolean many = root.has("queries");
    if (one == many) {
      throw ApiException.badRequest(
          "invalid_request", "give exactly one of \"query\" (a string) or \"queries\" (an array)");
    }
    SearchRequest defaults = request(root, null, defaultMode, "");
    if (one) {
      return new Parsed(List.of(defaults.withQuery(text(root.get("query"), "query"))), false);
    }
    JsonNode qs = root.get("queries");
    if (!qs.isArray()) {
      throw ApiException.badRequest(
          "invalid_type", "\"queries\" must be an array, got " + kind(qs));
    }
    if (qs.isEmpty()) {
      throw ApiException.badRequest("empty_batch", "\"queries\" is empty");
    }
    if (qs.size() > limits.maxBatch()) {
      throw ApiException.badRequest(
          "batch_too_large",
          "\"queries\" holds " + qs.size() + " queries; at most " + limits.maxBatch());
    }
    List<SearchRequest> out = new ArrayList<>(qs.size());
    for (int i = 0; i < qs.size(); i++) {
      JsonNode q = qs.get(i);
      String at = "queries[" + i + "]";
      if (q.isTextual()) {
        out.add(defaults.withQuery(text(q, at)));
      } else if (q.isObject()) {
        checkFields(q, ONE, at + ".");
        if (!q.has("query")) {
          throw ApiException.badRequest("invalid_request", at + " has no \"query\"");
        }
        out.add(request(q, defaults, defaultMode, at + ".").withQuery(text(q.get("query"), at)));
      } else {
        throw ApiException.badRequest(
            "invalid_type", at + " must be a string or an object, got " + kind(q));
      }
    }
    long hits = out.stream().mapToLong(SearchRequest::k).sum();
    if (hits > limits.maxHits()) {
      throw ApiException.badRequest(
          "too_many_hits",
          "the batch asks for "
              + hits
              + " hits (the sum of its k); at most "
              + limits.maxHits()
              + " per request: fewer queries, a smaller k, or several requests");
    }
    return new Parsed(out, true);
  }

  private JsonNode tree(byte[] body) {
    // Jackson would replace malformed UTF-8 or guess another encoding; refuse it explicitly.
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("invalid_utf8", "the body is not valid UTF-8");
    }
    if (body.length == 0) {
      throw ApiException.badRequest("invalid_json", "the body is empty; expected a JSON object");
    }
    try {
      return json.readTree(body);
    } catch (JsonParseException e) {
      throw ApiException.badRequest(
          "invalid_json",
          "malformed JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "malformed JSON: " + e.getMessage());
    }
  }

  private SearchRequest request(
      JsonNode n, SearchRequest defaults, SearchMode defaultMode, String at) {
    int k = defaults == null ? DEFAULT_K : defaults.k();
    if (n.has("k")) {
      JsonNode kn = n.get("k");
      if (!kn.isIntegralNumber() || !kn.canConvertToInt()) {
        throw ApiException.badRequest(
            "invalid_type", "\"" + at + "k\" must be an integer, got " + kind(kn) + " " + kn);
      }
      k = kn.intValue();
      if (k < 1 || k > limits.maxK()) {
        throw ApiException.badRequest(
            "k_out_of_range", "\"" + at + "k\" must be in [1, " + limits.maxK() + "], got " + k);
      }
    }
    SearchMode mode = defaults == null ? defaultMode : defaults.mode();
    if (n.has("mode")) {
      JsonNode m = n.get("mode");
      if (!m.isTextual()) {
        throw ApiException.badRequest(
            "invalid_type", "\"" + at + "mode\" must be a string, got " + kind(m));
      }
      try {
        mode = SearchMode.valueOf(m.textValue().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "unknown_mode",
            "\"" + at + "mode\" must be bm25, dense or hybrid, got \"" + m.textValue() + "\"");
      }
    }
    String lang = defaults == null ? null : defaults.lang();
    String kindF = defaults == null ? null : defaults.kind();
    String source = defaults == null ? null : defaults.source();
    if (n.has("filters")) {
      JsonNode f = n.get("filters");
      if (!f.isObject()) {
        throw ApiException.badRequest(
            "invalid_type", "\"" + at + "filters\" must be an object, got " + kind(f));
      }
      checkFields(f, FILTERS, at + "filters.");
      lang = filter(f, "lang", lang, at);
      kindF = filter(f, "kind", kindF, at);
      source = filter(f, "source", source, at);
    }
    return SearchRequest.of("", k, mode).withFilter(lang, kindF, source);
  }

  private static String filter(JsonNode f, String name, String dflt, String at) {
    if (!f.has(name) || f.get(name).isNull()) {
      return dflt;
    }
    JsonNode v = f.get(name);
    if (!v.isTextual() || v.textValue().isEmpty()) {
      throw ApiException.badRequest(
          "invalid_type",
          "\"" + at + "filters." + name + "\" must be a non-empty string, got " + kind(v));
    }
    return v.textValue();
  }

  private String text(JsonNode q, String at) {
    if (!q.isTextual()) {
      throw ApiException.badRequest(
          "invalid_type", "\"" + at + "\" must be a string, got " + kind(q));
    }
    String s = q.textValue();
    if (s.isBlank()) {
      throw ApiException.badRequest("empty_query", "\"" + at + "\" is empty");
    }
    if (s.length() > limits.maxQueryChars()) {
      throw ApiException.badRequest(
          "query_too_long",
          "\"" + at + "\" has " + s.length() + " characters; at most " + limits.maxQueryChars());
    }
    return s;
  }

  private static void checkFields(JsonNode n, Set<String> allowed, String at) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiException.badRequest(
            "unknown_field",
            "unknown field \""
                + at
                + f
                + "\"; expected one of "
                + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
