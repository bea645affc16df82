package io.sluice.filtering.select;

/**
 * The scaling parameters of one quality bucket.
 *
 * @param bucket quality bucket (0 = best)
 * @param b utility: the loss exponent on fresh data, negative; more negative means more useful
 * @param tau repetition half-life in epochs: a sample's utility halves every {@code tau} passes
 */
public record BucketParams(int bucket, double b, double tau) {
  public BucketParams {
    if (!(b < 0)) {
      throw new IllegalArgumentException(
          "utility b of bucket " + bucket + " must be negative, got " + b);
    }
    if (!(tau > 0)) {
      throw new IllegalArgumentException(
          "half-life tau of bucket " + bucket + " must be positive, got " + tau);
    }
  }
}
