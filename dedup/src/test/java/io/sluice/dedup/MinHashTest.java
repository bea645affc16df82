package io.sluice.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Shingling by script and kind, MinHash signatures and their Jaccard estimates, degenerate docs.
 */
class MinHashTest {

  private final Shingler shingler = new Shingler(5, Normalization.defaults());
  private final MinHasher hasher = new MinHasher(112);

  private static double exact(long[] x, long[] y) {
    Set<Long> a = new HashSet<>();
    Arrays.stream(x).forEach(a::add);
    Set<Long> b = new HashSet<>();
    Arrays.stream(y).forEach(b::add);
    Set<Long> union = new HashSet<>(a);
    union.addAll(b);
    a.retainAll(b);
    return (double) a.size() / union.size();
  }

  private static String words(SplittableRandom r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("w").append(r.nextInt(5000)).append(' ');
    }
    return sb.toString();
  }

  @Test
  void identicalTextsHaveIdenticalSignaturesAndNormalizationApplies() {
    String t = "The quick brown fox jumps over the lazy dog near the river bank.";
    assertArrayEquals(
        hasher.signature(shingler.shingles(t, "web")),
        hasher.signature(shingler.shingles(t, "web")));
    assertArrayEquals(
        hasher.signature(shingler.shingles(t, "web")),
        hasher.signature(
            shingler.shingles(
                "  THE quick\n\nbrown fox jumps over the lazy dog near the river bank.", "web")));
    assertEquals(Hashing.chars(Normalization.defaults().apply("A  b")), Hashing.chars("a b"));
    assertEquals(
        "a b c", Normalization.parse("punctuation,whitespace,lowercase").apply("A, b; C!"));
  }

  @Test
  void theOnePassExactHashIsTheHashOfTheNormalizedText() {
    String[] texts = {
      "",
      "   ",
      "Hello",
      "  Two\u2003SPACES\u00a0nbsp\tand\n\nlines  ",
      "x=foo(a_1,42);  // Ünïcödé ÀÉÎ",
      "我们今天 去公园散步",
      "emoji \uD83D\uDE00 and a lone surrogate \uD83D end",
      "İstanbul ΣΊΣΥΦΟΣ",
      "\u3000全角\u3000Space\r\n\uDE00 a lone low surrogate first, a high one last \uD83D"
    };
    for (Normalization norm :
        List.of(
            Normalization.defaults(),
            Normalization.parse("whitespace"),
            Normalization.parse("lowercase"),
            Normalization.parse("punctuation,whitespace,lowercase"))) {
      Shingler s = new Shingler(5, norm);
      for (String t : texts) {
        long expected = Hashing.chars(norm.apply(t));
        assertEquals(expected, s.exactHash(t), norm + ": " + t);
        assertEquals(expected, s.shingle(t, "code").exactHash(), norm + ": " + t);
        assertEquals(expected, s.shingle(t, "web").exactHash(), norm + ": " + t);
      }
    }
    assertEquals("two spaces\u00a0nbsp and lines", Normalization.defaults().apply(texts[3]));
    assertEquals(shingler.exactHash("a  B\n"), shingler.exactHash("A b"));
    assertNotEquals(shingler.exactHash("a=b"), shingler.exactHash("a = b"));
  }

  @Test
  void jaccardEstimateIsWithinATenthOfTheTrueShingleJaccard() {
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 20; trial++) {
      String base = words(r, 300);
      String[] w = base.split(" ");
      // Replace a varying share of words to cover similarities from ~0.1 to ~1.
      int changes = r.nextInt(1, 60);
      for (int i = 0; i < changes; i++) {
        w[r.nextInt(w.length)] = "x" + r.nextInt(1_000_000);
      }
      long[] a = shingler.shingles(base, "web");
      long[] b = shingler.shingles(String.join(" ", w), "web");
      double truth = exact(a, b);
      double est = MinHasher.jaccard(hasher.signature(a), hasher.signature(b));
      assertEquals(truth, est, 0.1, "trial " + trial + " changes " + changes);
    }
  }

  @Test
  void cjkTextIsShingledByCharacters() {
    String zh = "我们今天去公园散步然后吃午饭";
    assertEquals(Shingler.Unit.CHAR, Shingler.unitOf(zh, "web"));
    assertEquals(Shingler.Unit.CHAR, Shingler.unitOf("これはテストです", "web"));
    assertEquals(Shingler.Unit.CHAR, Shingler.unitOf("ภาษาไทยไม่มีช่องว่าง", "web"));
    assertEquals(Shingler.Unit.WORD, Shingler.unitOf("plain english words", "web"));
    // 14 characters -> 10 character 5-grams (a word split would give one shingle).
    assertEquals(10, shingler.shingles(zh, "web").length);
    // One changed character changes at most 5 of the 10 shingles.
    double j = exact(shingler.shingles(zh, "web"), shingler.shingles("我们今天去公园散步然后吃晚饭", "web"));
    assertTrue(j > 0.3 && j < 1, "jaccard " + j);
  }

  @Test
  void codeIsShingledByTokensIgnoringSpacing() {
    long[] units = Shingler.units("x=foo(a_1,42);", Shingler.Unit.CODE_TOKEN);
    assertEquals(9, units.length); // x = foo ( a_1 , 42 ) ;
    assertArrayEquals(
        shingler.shingles("if (a==b) { return c+1; }", "code"),
        shingler.shingles("if ( a == b ) {\n  return c + 1;\n}", "code"));
    // As prose the two spacings differ.
    assertNotEquals(
        Arrays.toString(shingler.shingles("if (a==b) { return c+1; }", "web")),
        Arrays.toString(shingler.shingles("if ( a == b ) {\n  return c + 1;\n}", "web")));
  }

  @Test
  void shortDocumentsHaveOneShingleOfTheWholeText() {
    assertArrayEquals(
        new long[] {Hashing.chars("four words are here")},
        shingler.shingles("Four words  are here", "web"));
    assertArrayEquals(new long[] {Hashing.chars("hello")}, shingler.shingles("Hello", "web"));
    assertEquals(1, shingler.shingles("exactly five words are here", "web").length);
    assertNotEquals(shingler.shingles("hello", "web")[0], shingler.shingles("hullo", "web")[0]);
  }

  @Test
  void emptyDocumentsHaveNoShinglesAndTheFixedSignature() {
    assertEquals(0, shingler.shingles("", "web").length);
    assertEquals(0, shingler.shingles(" \n\t ", "code").length);
    assertEquals(0, shingler.shingles(null, "web").length);
    int[] sig = hasher.signature(new long[0]);
    assertTrue(Arrays.stream(sig).allMatch(v -> v == Integer.MAX_VALUE));
    assertEquals(1.0, MinHasher.jaccard(sig, hasher.signature(new long[0])));
    assertTrue(MinHasher.jaccard(sig, hasher.signature(shingler.shingles("word", "web"))) < 0.05);
  }

  @Test
  void signaturesRoundTripThroughBytes() {
    int[] sig =
        hasher.signature(shingler.shingles("some text with more than five words in it", "web"));
    assertArrayEquals(sig, MinHasher.fromBytes(MinHasher.toBytes(sig)));
    assertEquals(448, MinHasher.toBytes(sig).length);
  }

  @Test
  void vectorAndScalarLoopsGiveTheSameSignatures() {
    // The build starts test JVMs with the Vector API module (conf/jvm.properties), so the fast
    // loop is the one in use; it must agree with the scalar loop bit for bit, including for
    // permutation counts that leave a scalar tail and for shingle sets of every size.
    assertTrue(MinHasher.VECTORISED, "test JVM lacks --add-modules=jdk.incubator.vector");
    SplittableRandom r = new SplittableRandom(42);
    for (int permutations : new int[] {1, 3, 7, 112, 129, 256}) {
      MinHasher h = new MinHasher(permutations);
      for (int size : new int[] {0, 1, 2, 5, 31, 1000}) {
        long[] shingles = r.longs(size).toArray();
        assertArrayEquals(
            h.scalarSignature(shingles),
            h.vectorSignature(shingles),
            permutations + " permutations, " + size + " shingles");
      }
    }
  }
}
