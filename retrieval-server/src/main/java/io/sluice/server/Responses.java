package io.sluice.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.index.Hit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON shapes of the API's answers: hits, documents, index descriptions and errors. One place, so
 * the OpenAPI description has one thing to agree with. Thread-safe.
 */
final class Responses {

  /** Metadata keys in the order they are written; others follow alphabetically. */
  private static final List<String> ORDER =
      List.of("source", "url", "path", "kind", "lang", "start", "end");

  private final ObjectMapper json = new ObjectMapper();

  byte[] bytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  static Map<String, Object> error(String code, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    return Map.of("error", e);
  }

  /** A hit: id (passage), doc_id, score, title (if any), text, then its metadata. */
  static Map<String, Object> hit(Hit h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", h.passageId());
    m.put("doc_id", h.docId());
    m.put("score", h.score());
    if (h.title() != null) {
      m.put("title", h.title());
    }
    m.put("text", h.text());
    Map<String, String> rest = new TreeMap<>(h.metadata());
    for (String k : ORDER) {
      String v = rest.remove(k);
      if (v != null) {
        m.put(k, k.equals("start") || k.equals("end") ? number(v) : v);
      }
    }
    m.putAll(rest);
    return m;
  }

  static List<Map<String, Object>> hits(List<Hit> hits) {
    return hits.stream().map(Responses::hit).toList();
  }

  private static Object number(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /** What {@code /healthz} and {@code /admin/reload} say about an index. */
  static Map<String, Object> describe(LoadedIndex i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("location", i.location());
    m.put("passages", i.retriever().passages());
    m.put("documents", i.retriever().documents());
    m.put("bytes", i.bytes());
    m.put("dense", i.retriever().hasDense());
    m.put("query_tower", i.retriever().queryTowerName());
    m.put("loaded_at", i.loadedAt().toString());
    return m;
  }

  static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
