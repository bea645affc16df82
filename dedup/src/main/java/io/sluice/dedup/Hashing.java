package io.sluice.dedup;

/**
 * Fast 64-bit hashing for exact keys, shingles and bands. Not {@link String#hashCode}: 32 bits
 * collide after ~10^5 documents, and its low bits are poor. Strings are hashed char by char with a
 * multiply/rotate step and finished with MurmurHash3's {@code fmix64}, which makes every output bit
 * depend on every input bit. Deterministic across JVMs, so runs are reproducible.
 */
final class Hashing {

  private static final long K1 = 0x9E3779B97F4A7C15L;
  private static final long K2 = 0xC2B2AE3D27D4EB4FL;

  private Hashing() {}

  /** MurmurHash3's 64-bit finalizer: a bijection with full avalanche. */
  static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }

  /** The state before the first character of {@link #step}. */
  static final long START = K2;

  /** Folds one character into a running string hash. */
  static long step(long h, char c) {
    return Long.rotateLeft((h ^ c) * K1, 31);
  }

  /** The hash of the {@code length} characters folded into {@code h}. */
  static long finish(long h, long length) {
    return fmix64(h ^ (length * K1));
  }

  /** Hash of a string: {@link #step} over its chars from {@link #START}, then {@link #finish}. */
  static long chars(CharSequence s) {
    long h = START;
    for (int i = 0; i < s.length(); i++) {
      h = step(h, s.charAt(i));
    }
    return finish(h, s.length());
  }

  /** Order-sensitive combination of {@code n} unit hashes starting at {@code from}. */
  static long combine(long[] units, int from, int n) {
    long h = K1 ^ n;
    for (int i = from; i < from + n; i++) {
      h = Long.rotateLeft((h ^ units[i]) * K2, 27);
    }
    return fmix64(h);
  }

  /** Hash of {@code sig[from, from + n)} salted with the band index, for LSH buckets. */
  static long band(int[] sig, int band, int from, int n) {
    long h = K2 ^ ((long) band * K1);
    for (int i = from; i < from + n; i++) {
      h = Long.rotateLeft((h ^ sig[i]) * K1, 29);
    }
    return fmix64(h);
  }
}
