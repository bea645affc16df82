package io.sluice.ingest.read;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A document as a reader found it, before extraction, language identification and normalisation.
 *
 * @param sourceFile the input file, for the quarantine table
 * @param offset byte offset of the record in its file (of the decompressed stream for JSONL), or -1
 * @param index 0-based record number in its file
 * @param id the source's own id, or null to derive a stable one
 * @param kind {@code web} or {@code code}
 * @param langHint a language the source claims (kept in {@code meta}), or null
 * @param content the text, or the HTML to extract it from
 */
public record RawDocument(
    String sourceFile,
    long offset,
    long index,
    String id,
    String kind,
    String source,
    String url,
    String path,
    String langHint,
    String license,
    Instant crawlDate,
    Map<String, String> meta,
    Content content) {

  public RawDocument {
    Objects.requireNonNull(sourceFile, "sourceFile");
    Objects.requireNonNull(content, "content");
    meta = meta == null ? Map.of() : meta;
  }

  /**
   * What a record holds: plain text, decoded HTML, or HTML bytes in a (possibly declared) charset.
   */
  public sealed interface Content {
    /** Size in bytes as read, for limits and statistics. */
    long bytes();
  }

  public record Text(String text) implements Content {
    @Override
    public long bytes() {
      return text.length();
    }
  }

  public record Html(String html) implements Content {
    @Override
    public long bytes() {
      return html.length();
    }
  }

  /**
   * @param charset the charset the HTTP header declared, or null
   */
  public record HtmlBytes(byte[] html, String charset) implements Content {
    @Override
    public long bytes() {
      return html.length;
    }
  }
}
