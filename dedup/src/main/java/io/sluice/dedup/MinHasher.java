package io.sluice.dedup;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * MinHash signatures: {@code bands * rows} permutations of the 64-bit shingle hashes, each a
 * multiply-add {@code a*x + b} (mod 2^64) with a random odd {@code a}, keeping the high 31 bits
 * (the high bits of a multiply-shift are the well-mixed ones). Each shingle is hashed once;
 * permutations cost one multiply-add each. The coefficients come from a fixed seed, so signatures
 * are comparable across runs and machines with the same number of permutations.
 *
 * <p>Two loops compute the same signature: {@link VectorMinima} on SIMD lanes when the JVM has
 * {@code jdk.incubator.vector} (Sluice's launchers add it; about 4× faster on AVX-512), else a
 * scalar loop. Keeping the top 31 of the 63 bits {@code (a*x + b) >>> 1} after taking the minimum is
 * the same as taking the minimum of the top 31 bits, since the shift is monotone.
 *
 * <p>Invariant: an empty shingle set (an empty normalized text) has the fixed signature of all
 * {@link Integer#MAX_VALUE}. Empty documents are one exact-duplicate group, so exact dedup leaves
 * at most one of them (per source) for LSH, and a real text's signature equals it in a band only by
 * a 2^-31-per-row chance.
 */
final class MinHasher implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final long SEED = 0x5EED_D00D_CAFEL;

  /** Whether this JVM runs {@link VectorMinima}: decided once per JVM, never changes. */
  static final boolean VECTORISED = vectorAvailable();

  private final long[] a;
  private final long[] b;

  MinHasher(int permutations) {
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
    }
    SplittableRandom r = new SplittableRandom(SEED);
    a = new long[permutations];
    b = new long[permutations];
    for (int i = 0; i < permutations; i++) {
      a[i] = r.nextLong() | 1L;
      b[i] = r.nextLong();
    }
  }

  int permutations() {
    return a.length;
  }

  int[] signature(long[] shingles) {
    return VECTORISED ? vectorSignature(shingles) : scalarSignature(shingles);
  }

  int[] scalarSignature(long[] shingles) {
    int[] sig = new int[a.length];
    java.util.Arrays.fill(sig, Integer.MAX_VALUE);
    for (long x : shingles) {
      for (int i = 0; i < sig.length; i++) {
        int v = (int) ((a[i] * x + b[i]) >>> 33);
        if (v < sig[i]) {
          sig[i] = v;
        }
      }
    }
    return sig;
  }

  int[] vectorSignature(long[] shingles) {
    long[] minima = new long[a.length];
    VectorMinima.minima(a, b, shingles, minima);
    int[] sig = new int[a.length];
    for (int i = 0; i < sig.length; i++) {
      sig[i] = (int) (minima[i] >>> 32);
    }
    return sig;
  }

  private static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && VectorMinima.worthwhile();
  }

  /** The fraction of equal minhashes: an unbiased estimate of the Jaccard similarity. */
  static double jaccard(int[] x, int[] y) {
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == y[i]) {
        same++;
      }
    }
    return (double) same / x.length;
  }

  static byte[] toBytes(int[] sig) {
    ByteBuffer buf = ByteBuffer.allocate(sig.length * 4);
    buf.asIntBuffer().put(sig);
    return buf.array();
  }

  static int[] fromBytes(byte[] bytes) {
    int[] sig = new int[bytes.length / 4];
    ByteBuffer.wrap(bytes).asIntBuffer().get(sig);
    return sig;
  }

  static double jaccard(byte[] x, byte[] y) {
    return jaccard(fromBytes(x), fromBytes(y));
  }
}
