package io.sluice.core.doc;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One document as it leaves ingest (DESIGN.md §2).
 *
 * <p>Invariants: {@code id} and {@code text} are never null; {@code text} is valid UTF-16 (no lone
 * surrogates) in Unicode NFC; {@code kind} is {@link #KIND_WEB} or {@link #KIND_CODE}; {@code meta}
 * is an unmodifiable copy sorted by key. Nullable fields are those the schema marks nullable.
 */
public record Document(
    String id,
    String text,
    String kind,
    String lang,
    Float langScore,
    String source,
    String url,
    String path,
    String license,
    Instant crawlDate,
    Map<String, String> meta) {

  public static final String KIND_WEB = "web";
  public static final String KIND_CODE = "code";

  /** The language code for text whose language could not be told. */
  public static final String UNDETERMINED = "und";

  public Document {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
    if (!KIND_WEB.equals(kind) && !KIND_CODE.equals(kind)) {
      throw new IllegalArgumentException(
          "kind must be 'web' or 'code', got '" + kind + "' (id=" + id + ")");
    }
    // Sorted: Map.copyOf iterates in an order salted per JVM, which made output files differ run to
    // run.
    meta =
        meta == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(meta));
  }
}
