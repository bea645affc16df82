package io.sluice.ingest.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.doc.DocumentJson;
import io.sluice.core.doc.Document;
import io.sluice.core.doc.Quarantined;
import io.sluice.ingest.code.CodeLanguages;
import io.sluice.ingest.normalize.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON Lines documents. Understood fields: {@code id}/{@code _id}; {@code text} or {@code
 * html} (plus {@code title}, prepended to text as BEIR corpora need); {@code kind}; {@code url};
 * {@code path}; {@code lang}; {@code source}; {@code license}; {@code crawl_date}/{@code date}.
 * Every other field is kept in {@code meta} (nested values as JSON). Without {@code kind}, a record
 * with a {@code path} of a known source-code type and no {@code url}/{@code html} is code (the
 * layout of {@code shared/data/code}), anything else web.
 *
 * <p>Invalid UTF-8 is repaired (U+FFFD) and counted in {@code meta.utf8_repaired}; a line that is
 * mostly invalid, not JSON, without text, or over the size limit is quarantined with its reason.
 */
final class JsonlReader {

  private static final ObjectMapper JSON = DocumentJson.mapper();

  private static final Set<String> KNOWN =
      Set.of(
          "id",
          "_id",
          "text",
          "html",
          "title",
          "kind",
          "url",
          "path",
          "lang",
          "source",
          "license",
          "crawl_date",
          "date");

  private final ReadLimits limits;
  private final String defaultSource;

  JsonlReader(ReadLimits limits, String defaultSource) {
    this.limits = limits;
    this.defaultSource = defaultSource;
  }

  void read(InputStream in, String file, RecordSink sink) throws IOException {
    read(in, file, 0, Long.MAX_VALUE, false, sink);
  }

  /**
   * Reads the lines of {@code in} that start before {@code limit} (relative to {@code in}).
   *
   * @param base byte offset of {@code in}'s first byte in the file, for the offsets reported
   * @param indexUnknown true when {@code in} starts mid-file: line numbers are then unknown and
   *     records are reported by byte offset, with record index -1
   */
  void read(InputStream in, String file, long base, long limit, boolean indexUnknown, RecordSink sink)
      throws IOException {
    BoundedLineReader lines = new BoundedLineReader(in, (int) limits.maxRecordBytes());
    long counted = -1;
    while (lines.next() && lines.lineOffset() < limit) {
      counted++;
      long index = indexUnknown ? -1 : counted;
      long offset = base + lines.lineOffset();
      if (lines.oversized()) {
        String sample = Utf8.decode(lines.bytes(), 0, lines.length()).text();
        sink.quarantine(
            new Quarantined(
                file,
                offset,
                index,
                "too_large",
                "line of "
                    + lines.lineBytes()
                    + " bytes exceeds the limit of "
                    + limits.maxRecordBytes(),
                sample));
        continue;
      }
      if (isBlank(lines.bytes(), lines.length())) {
        continue; // blank lines separate nothing in JSONL; not a record
      }
      Utf8.Decoded decoded = Utf8.decode(lines.bytes(), 0, lines.length());
      if (decoded.replaced() > Math.max(8, lines.length() / 10)) {
        sink.quarantine(
            new Quarantined(
                file,
                offset,
                index,
                "invalid_utf8",
                decoded.replaced() + " malformed UTF-8 sequences in " + lines.length() + " bytes",
                decoded.text()));
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(decoded.text());
      } catch (JsonProcessingException e) {
        sink.quarantine(
            new Quarantined(
                file,
                offset,
                index,
                "invalid_json",
                line(index, offset) + " is not JSON: " + e.getOriginalMessage(),
                decoded.text()));
        continue;
      }
      if (node == null || !node.isObject()) {
        sink.quarantine(
            new Quarantined(
                file,
                offset,
                index,
                "invalid_json",
                line(index, offset) + " is not a JSON object",
                decoded.text()));
        continue;
      }
      toDocument(node, file, offset, index, decoded.replaced(), sink);
    }
  }

  private static String line(long index, long offset) {
    return index >= 0 ? "line " + (index + 1) : "the line at byte " + offset;
  }

  private void toDocument(
      JsonNode node, String file, long offset, long index, int repaired, RecordSink sink) {
    String text = str(node, "text");
    String html = str(node, "html");
    if (text == null && html == null) {
      sink.quarantine(
          new Quarantined(
              file,
              offset,
              index,
              "missing_field",
              "record has no string field 'text' or 'html'",
              node.toString()));
      return;
    }
    String title = str(node, "title");
    if (text != null && title != null && !title.isBlank()) {
      text = title + "\n\n" + text;
    }
    String path = str(node, "path");
    String url = str(node, "url");
    String kind = str(node, "kind");
    if (kind == null) {
      boolean code =
          path != null && url == null && html == null && CodeLanguages.isKnownSourceName(path);
      kind = code ? Document.KIND_CODE : Document.KIND_WEB;
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!KNOWN.contains(f.getKey()) && !f.getValue().isNull()) {
        meta.put(
            f.getKey(),
            f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
      }
    }
    Instant crawl = null;
    String date = str(node, "crawl_date") != null ? str(node, "crawl_date") : str(node, "date");
    if (date != null) {
      crawl = parseInstant(date);
      if (crawl == null) {
        meta.put("date", date);
      }
    }
    if (repaired > 0) {
      meta.put("utf8_repaired", Integer.toString(repaired));
    }
    String id = str(node, "id") != null ? str(node, "id") : str(node, "_id");
    String source = str(node, "source") != null ? str(node, "source") : defaultSource;
    RawDocument.Content content =
        text != null ? new RawDocument.Text(text) : new RawDocument.Html(html);
    sink.document(
        new RawDocument(
            file,
            offset,
            index,
            id,
            kind,
            source,
            url,
            path,
            str(node, "lang"),
            str(node, "license"),
            crawl,
            meta,
            content));
  }

  private static Instant parseInstant(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String str(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static boolean isBlank(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
