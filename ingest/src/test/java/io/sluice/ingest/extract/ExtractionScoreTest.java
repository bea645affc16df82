package io.sluice.ingest.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionScoreTest {
  private static final double EPS = 1e-12;

  @Test
  void countsSnippetsFoundAndMissing() {
    String text = "First paragraph here.\n\nSecond   paragraph\u00a0with a list\n- item";
    ExtractionScore s =
        ExtractionScore.of(
            text,
            List.of("First paragraph", "Second paragraph with", "not there"),
            List.of("item", "Cookie banner"));
    assertEquals(new ExtractionScore(2, 1, 1, 1), s);
    // P = 2/3, R = 2/3, F1 = 4 / (4 + 1 + 1)
    assertEquals(2.0 / 3, s.precision(), EPS);
    assertEquals(2.0 / 3, s.recall(), EPS);
    assertEquals(4.0 / 6, s.f1(), EPS);
  }

  @Test
  void normalisesWhitespaceOnBothSides() {
    ExtractionScore s = ExtractionScore.of("a\tb\r\n c", List.of(" a b  c ", "b\nc"), List.of());
    assertEquals(new ExtractionScore(2, 0, 0, 0), s);
  }

  @Test
  void sumsCountsBeforeComputingScores() {
    ExtractionScore a = new ExtractionScore(3, 1, 0, 2);
    ExtractionScore b = new ExtractionScore(1, 0, 3, 1);
    ExtractionScore total = a.plus(b);
    assertEquals(new ExtractionScore(4, 1, 3, 3), total);
    assertEquals(4.0 / 5, total.precision(), EPS);
    assertEquals(4.0 / 7, total.recall(), EPS);
    assertEquals(8.0 / 12, total.f1(), EPS);
  }

  @Test
  void emptyOutputFindsNothing() {
    ExtractionScore s = ExtractionScore.of("", List.of("x"), List.of("y"));
    assertEquals(new ExtractionScore(0, 0, 1, 1), s);
    assertEquals(0, s.precision());
    assertEquals(0, s.recall());
    assertEquals(0, s.f1());
    assertEquals(
        new ExtractionScore(0, 0, 1, 0), ExtractionScore.of(null, List.of("x"), List.of()));
  }
}
