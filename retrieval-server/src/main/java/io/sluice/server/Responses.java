package io.sluice.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.index.Hit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * The body of a search answer: {@code {"hits": [...], "mode": ..., "took_ms": ...}}, or for a
   * batch request {@code {"results": [{"hits": [...]}, ...], "took_ms": ...}}. Written straight to
   * the generator (no intermediate maps): it runs for every search, and its text is most of the
   * bytes the server sends.
   *
   * @param mode the mode of a single query; ignored for a batch
   */
  byte[] search(List<List<Hit>> hits, boolean batch, String mode, double tookMillis) {
    int size = 64;
    for (List<Hit> list : hits) {
      for (Hit h : list) {
        size += h.text().length() + 256;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      if (batch) {
        g.writeArrayFieldStart("results");
        for (List<Hit> list : hits) {
          g.writeStartObject();
          writeHits(g, list);
          g.writeEndObject();
        }
        g.writeEndArray();
      } else {
        writeHits(g, hits.get(0));
        g.writeStringField("mode", mode);
      }
      g.writeNumberField("took_ms", tookMillis);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a search answer", e);
    }
    return out.toByteArray();
  }

  private static void writeHits(JsonGenerator g, List<Hit> hits) throws IOException {
    g.writeArrayFieldStart("hits");
    for (Hit h : hits) {
      writeHit(g, h);
    }
    g.writeEndArray();
  }

  /** A hit: id (passage), doc_id, score, title (if any), text, then its metadata. */
  private static void writeHit(JsonGenerator g, Hit h) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", h.passageId());
    g.writeStringField("doc_id", h.docId());
    g.writeNumberField("score", h.score());
    if (h.title() != null) {
      g.writeStringField("title", h.title());
    }
    g.writeStringField("text", h.text());
    Map<String, String> meta = h.metadata();
    for (String k : ORDER) {
      String v = meta.get(k);
      if (v != null) {
        g.writeFieldName(k);
        writeMetadataValue(g, k, v);
      }
    }
    if (meta.size() > 0) {
      List<String> rest = new ArrayList<>(meta.size());
      for (String k : meta.keySet()) {
        if (!ORDER.contains(k)) {
          rest.add(k);
        }
      }
      rest.sort(null);
      for (String k : rest) {
        g.writeStringField(k, meta.get(k));
      }
    }
    g.writeEndObject();
  }

  private static void writeMetadataValue(JsonGenerator g, String key, String v)
      throws IOException {
    Long offset = key.equals("start") || key.equals("end") ? parseLong(v) : null;
    if (offset != null) {
      g.writeNumber(offset);
    } else {
      g.writeString(v);
    }
  }

  private static Long parseLong(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
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
