package io.sluice.core.doc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentSchemaTest {

  @Test
  void rowRoundTripKeepsEveryField() {
    Document d =
        new Document(
            "id-1",
            "héllo",
            "web",
            "fr",
            0.9f,
            "cc",
            "https://x.org/a",
            null,
            "CC-BY-4.0",
            Instant.parse("2024-05-01T10:00:00Z"),
            Map.of("k", "v"));
    assertEquals(d, DocumentSchema.fromRow(DocumentSchema.toRow(d)));
    assertEquals(
        List.of(
            "id",
            "text",
            "kind",
            "lang",
            "lang_score",
            "source",
            "url",
            "path",
            "license",
            "crawl_date",
            "meta"),
        DocumentSchema.columnNames(DocumentSchema.DOCUMENT));
  }

  @Test
  void kindIsValidated() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Document("x", "t", "book", null, null, null, null, null, null, null, null));
    assertEquals("kind must be 'web' or 'code', got 'book' (id=x)", e.getMessage());
  }

  @Test
  void idsAreStableAndDependOnEveryPart() {
    String a = DocumentIds.of("src", "https://a", "text");
    assertEquals(a, DocumentIds.of("src", "https://a", "text"));
    assertEquals(32, a.length());
    assertNotEquals(a, DocumentIds.of("src2", "https://a", "text"));
    assertNotEquals(a, DocumentIds.of("src", "https://b", "text"));
    assertNotEquals(a, DocumentIds.of("src", "https://a", "text2"));
    // the separator keeps ("ab","c") and ("a","bc") apart
    assertNotEquals(DocumentIds.of("ab", "c", "t"), DocumentIds.of("a", "bc", "t"));
  }

  @Test
  void quarantineSampleIsBoundedWithoutSplittingSurrogates() {
    String emoji = "\uD83D\uDE00";
    String big = "a".repeat(Quarantined.SAMPLE_CHARS - 1) + emoji;
    Quarantined q = new Quarantined("f", 0, 0, "too_large", null, big);
    assertEquals(Quarantined.SAMPLE_CHARS - 1, q.sample().length());
    assertEquals("", q.detail());
  }
}
