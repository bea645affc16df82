package io.sluice.filtering.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper's loss model against values computed by hand from its formula. */
class ScalingLawTest {

  private static final ScalingLaw LAW = new ScalingLaw(0.025, 0.1, 100_000);

  @Test
  void onePassIsAPowerLaw() {
    BucketParams p = new BucketParams(0, -0.16, 6.7272727272727275);
    // 1M samples seen from a 12.8M pool: one partial pass, y = d + (a*S/Z)^b
    double expected = 0.1 + Math.pow(0.025 * 1_000_000 / 100_000, -0.16);
    assertEquals(expected, LAW.loss(List.of(new ScalingLaw.Pool(p, 12_800_000)), 1_000_000), 1e-12);
  }

  @Test
  void repeatedPassesLoseUtilityWithHalfLifeTau() {
    BucketParams p = new BucketParams(0, -0.2, 2);
    double n = 1_000_000;
    // 3 passes over a pool of N: y = d + (aN/Z)^b * (2N/N)^(b*2^(-1/2)) * (3N/2N)^(b*2^(-2/2))
    double expected =
        0.1
            + Math.pow(0.025 * n / 100_000, -0.2)
                * Math.pow(2.0, -0.2 * Math.pow(0.5, 0.5))
                * Math.pow(1.5, -0.2 * 0.5);
    assertEquals(expected, LAW.loss(List.of(new ScalingLaw.Pool(p, n)), 3 * n), 1e-12);
    // and a half pass further on (3.5 N): one more factor (3.5/3)^(b*2^(-3/2))
    double more = (expected - 0.1) * Math.pow(3.5 / 3, -0.2 * Math.pow(0.5, 1.5)) + 0.1;
    assertEquals(more, LAW.loss(List.of(new ScalingLaw.Pool(p, n)), 3.5 * n), 1e-12);
  }

  @Test
  void mixingPoolsAveragesUtilityAndStretchesHalfLifeByP() {
    BucketParams b0 = new BucketParams(0, -0.16, 6);
    BucketParams b1 = new BucketParams(1, -0.10, 3);
    double n = 1_000_000;
    List<ScalingLaw.Pool> pools = List.of(new ScalingLaw.Pool(b0, n), new ScalingLaw.Pool(b1, n));
    // two passes over N_total = 2N: b_eff(0) = (b0+b1)/2, b_eff(1) = (b0*2^(-1/(2*6)) +
    // b1*2^(-1/(2*3)))/2
    double bEff0 = (-0.16 - 0.10) / 2;
    double bEff1 = (-0.16 * Math.pow(0.5, 1 / 12.0) - 0.10 * Math.pow(0.5, 1 / 6.0)) / 2;
    double expected = 0.1 + Math.pow(0.025 * 2 * n / 100_000, bEff0) * Math.pow(2.0, bEff1);
    assertEquals(expected, LAW.loss(pools, 4 * n), 1e-12);
  }

  @Test
  void unequalPoolsWeighUtilityBySize() {
    BucketParams b0 = new BucketParams(0, -0.2, 5);
    BucketParams b1 = new BucketParams(1, -0.1, 5);
    List<ScalingLaw.Pool> pools =
        List.of(new ScalingLaw.Pool(b0, 3_000_000), new ScalingLaw.Pool(b1, 1_000_000));
    double bEff0 = 0.75 * -0.2 + 0.25 * -0.1;
    double expected = 0.1 + Math.pow(0.025 * 2_000_000 / 100_000, bEff0);
    assertEquals(expected, LAW.loss(pools, 2_000_000), 1e-12);
  }

  @Test
  void theChosenNumberOfBucketsGrowsWithTheBudget() {
    SelectionConfig config = SelectionConfig.defaults();
    MixturePlanner planner = new MixturePlanner(config);
    List<MixturePlanner.BucketSize> sizes = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      sizes.add(new MixturePlanner.BucketSize(b, 12_800_000 * config.tokensPerSample()));
    }
    int previous = 0;
    List<Integer> ks = new ArrayList<>();
    for (double samples : new double[] {3.2e7, 6.4e7, 1.28e8, 6.4e8, 2.56e9, 1e10}) {
      int k = planner.plan(sizes, samples * config.tokensPerSample()).best().k();
      ks.add(k);
      assertTrue(k >= previous, "k* must not shrink as the budget grows: " + ks);
      previous = k;
    }
    assertEquals(1, ks.get(0), "a small budget is best spent on the top bucket: " + ks);
    assertTrue(ks.get(ks.size() - 1) >= 3, "a large budget is spread over more buckets: " + ks);
  }
}
