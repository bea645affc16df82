package io.sluice.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The LSH candidate probability 1 - (1 - s^r)^b. */
class SCurveTest {

  @Test
  void fourteenBandsOfEightRows() {
    // By hand: 0.8^8 = 0.16777216; 1 - 0.83222784^14 = 1 - 0.0764524 = 0.9235476.
    assertEquals(0.9235476, SCurve.probability(0.8, 14, 8), 1e-6);
    assertEquals(0.2111219, SCurve.probability(0.6, 14, 8), 1e-6);
    assertEquals(0.5645040, SCurve.probability(0.7, 14, 8), 1e-6);
    assertEquals(0.9996222, SCurve.probability(0.9, 14, 8), 1e-6);
    assertEquals(0.0, SCurve.probability(0, 14, 8));
    assertEquals(1.0, SCurve.probability(1, 14, 8));
    String d = SCurve.describe(14, 8);
    assertTrue(d.contains("112 hashes") && d.contains("J=0.8: 0.9235"), d);
  }
}
