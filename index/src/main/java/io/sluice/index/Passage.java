package io.sluice.index;

import java.io.Serializable;
import java.util.Objects;

/**
 * One retrievable unit: a span {@code [start, end)} (UTF-16 offsets) of a document's text, with the
 * document's title and metadata copied in so that a hit needs no second lookup.
 *
 * <p>The id {@code <docId>#<ordinal>} is stable: it depends only on the document and the splitting
 * options recorded in the index manifest.
 */
record Passage(
    String docId,
    int ordinal,
    int start,
    int end,
    String title,
    String text,
    String kind,
    String lang,
    String source,
    String url,
    String path)
    implements Serializable {

  Passage {
    Objects.requireNonNull(docId, "docId");
    Objects.requireNonNull(text, "text");
    if (ordinal < 0 || start < 0 || end < start) {
      throw new IllegalArgumentException(
          "bad passage span of document "
              + docId
              + ": #"
              + ordinal
              + " ["
              + start
              + ","
              + end
              + ")");
    }
  }

  String id() {
    return id(docId, ordinal);
  }

  static String id(String docId, int ordinal) {
    return docId + "#" + ordinal;
  }

  /** What the BM25 index and the document tower read: the title (if any), then the text. */
  String contents() {
    return title == null || title.isEmpty() ? text : title + " " + text;
  }
}
