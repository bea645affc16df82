package io.sluice.dedup;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The MinHash inner loop on SIMD lanes (the incubating Vector API): for each permutation {@code i},
 * the minimum over all shingles {@code x} of {@code (a[i] * x + b[i]) >>> 1}. A lane group of
 * permutations stays in registers while the shingles stream past, so each shingle costs one vector
 * multiply, add, shift and min per group; with AVX-512 that is 8 permutations per instruction.
 *
 * <p>Why this class is separate: C2 on JDK 17 does not auto-vectorise the scalar loop (no long
 * min, no long multiply in its superword pass), and referring to {@code jdk.incubator.vector}
 * only from here lets {@link MinHasher} run unchanged on a JVM started without {@code
 * --add-modules=jdk.incubator.vector}: this class is then never loaded.
 */
final class VectorMinima {

  private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;

  private VectorMinima() {}

  /** True when the vector unit holds at least two longs (otherwise the scalar loop is as fast). */
  static boolean worthwhile() {
    return SPECIES.length() >= 2;
  }

  /**
   * Writes the minima into {@code out}, one per permutation; {@code Long.MAX_VALUE} where there
   * are no shingles.
   */
  static void minima(long[] a, long[] b, long[] shingles, long[] out) {
    int p = a.length;
    int lanes = SPECIES.length();
    int bound = SPECIES.loopBound(p);
    int i = 0;
    for (; i < bound; i += lanes) {
      LongVector av = LongVector.fromArray(SPECIES, a, i);
      LongVector bv = LongVector.fromArray(SPECIES, b, i);
      LongVector min = LongVector.broadcast(SPECIES, Long.MAX_VALUE);
      for (long x : shingles) {
        min = min.min(av.mul(x).add(bv).lanewise(VectorOperators.LSHR, 1));
      }
      min.intoArray(out, i);
    }
    for (; i < p; i++) { // permutations left over when p is not a multiple of the lane count
      long min = Long.MAX_VALUE;
      for (long x : shingles) {
        min = Math.min(min, (a[i] * x + b[i]) >>> 1);
      }
      out[i] = min;
    }
  }
}
