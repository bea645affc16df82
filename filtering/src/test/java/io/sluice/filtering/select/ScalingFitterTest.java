package io.sluice.filtering.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingFitterTest {

  @Test
  void recoversParametersThatGeneratedTheMeasurements() {
    // a, b and tau on the 21-point grid: a = 0.0001 + 0.01 * 0.1999 ..., pick exact grid values
    ScalingFitter fitter = new ScalingFitter(21, 100_000);
    double a = ScalingFitter.linspace(1e-4, 0.2, 21)[5];
    double b0 = ScalingFitter.linspace(-0.005, -0.5, 21)[6];
    double tau0 = ScalingFitter.linspace(1, 10, 21)[8];
    double b1 = ScalingFitter.linspace(-0.005, -0.5, 21)[3];
    double tau1 = ScalingFitter.linspace(1, 10, 21)[2];
    ScalingLaw law = new ScalingLaw(a, 0.1, 100_000);
    List<ScalingFitter.Measurement> rows = new ArrayList<>();
    for (double seen : new double[] {1e6, 4e6, 1.6e7, 6.4e7}) {
      for (double pool : new double[] {2e6, 8e6}) {
        rows.add(
            new ScalingFitter.Measurement(
                0,
                seen,
                pool,
                law.loss(List.of(new ScalingLaw.Pool(new BucketParams(0, b0, tau0), pool)), seen)));
        rows.add(
            new ScalingFitter.Measurement(
                1,
                seen,
                pool,
                law.loss(List.of(new ScalingLaw.Pool(new BucketParams(1, b1, tau1), pool)), seen)));
      }
    }
    ScalingFitter.Fit fit = fitter.fit(rows, 0.1);
    assertEquals(a, fit.a(), 1e-12);
    assertEquals(b0, fit.buckets().get(0).b(), 1e-12);
    assertEquals(tau0, fit.buckets().get(0).tau(), 1e-12);
    assertEquals(b1, fit.buckets().get(1).b(), 1e-12);
    assertEquals(tau1, fit.buckets().get(1).tau(), 1e-12);
    assertTrue(fit.squaredError() < 1e-20);
  }
}
