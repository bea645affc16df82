package io.sluice.index;

import java.util.Map;

/**
 * One search result: a passage, the document it belongs to, its score in the mode that found it
 * (BM25, inner product, or fused), its text and its metadata ({@code kind}, {@code lang}, {@code
 * source}, {@code url} or {@code path}, {@code start}/{@code end} offsets in the document).
 */
public record Hit(
    String passageId,
    String docId,
    float score,
    String title,
    String text,
    Map<String, String> metadata) {

  public Hit {
    metadata = Map.copyOf(metadata);
  }

  Hit withScore(float s) {
    return new Hit(passageId, docId, s, title, text, metadata);
  }
}
