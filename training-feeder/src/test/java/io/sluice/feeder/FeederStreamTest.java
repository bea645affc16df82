package io.sluice.feeder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feeder's stream against what DESIGN.md §5 promises, checked from the outside: a pass holds
 * every selected document exactly as many times as the mixture says, sequences reassembled from any
 * (dp, sp, layout) split equal the single-rank stream, and resume (with a new dp_size) neither
 * loses nor repeats a sequence.
 */
class FeederStreamTest {
  private static final int SEQ = 64;
  private static final long SEED = 42;
  private static final Map<Integer, Double> EPOCHS = Map.of(0, 3.0, 1, 1.5, 2, 1.0, 3, 0.0);

  @TempDir static Path dir;
  private static List<TokenShards.Doc> docs;
  private static FeederServer server;
  private static FeederClient client;
  private static long perPass;

  /** The single-rank stream of pass 0 and the start of pass 1, sequence by sequence. */
  private static List<FeedBatch> reference;

  @BeforeAll
  static void serve() throws Exception {
    docs = TokenShards.documents(300, 200, 4, 7);
    TokenShards.write(dir.resolve("tokens"), docs, 3);
    Path mixture = TokenShards.mixture(dir.resolve("mixture.json"), EPOCHS);
    server =
        FeederServer.start(
            FeederServer.Options.of(dir.resolve("tokens").toString(), 0)
                .withHost("127.0.0.1")
                .withMixture(mixture.toString()));
    client = FeederClient.connect("127.0.0.1", server.port());
    perPass = server.sequencesPerPass(SEED, 0, SEQ);
    reference = read(request(Layout.CONTIGUOUS, 0, 1, 0, 1, FeedState.start(SEED), perPass + 20));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  static FeedRequest request(
      Layout layout, int dpRank, int dpSize, int spRank, int spSize, FeedState state, long steps) {
    return new FeedRequest(SEQ, layout, dpRank, dpSize, spRank, spSize, state, steps, null);
  }

  static List<FeedBatch> read(FeedRequest r) throws Exception {
    List<FeedBatch> out = new ArrayList<>();
    try (BatchStream s = client.stream(r)) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void aPassHoldsEveryDocumentAsOftenAsTheMixtureSays() {
    List<Integer> stream = new ArrayList<>();
    stream.add(reference.get(0).inputIds()[0]);
    for (FeedBatch b : reference.subList(0, (int) perPass)) {
      assertEquals(0, b.epoch());
      for (int label : b.labels()) {
        if (label != SequencePacker.IGNORE) {
          stream.add(label);
        }
      }
    }
    assertEquals(1, reference.get((int) perPass).epoch(), "the sequence after the last is pass 1");
    assertEquals(0, reference.get((int) perPass).sequence());

    // Split at EOS; every piece must be one original document, whole.
    Map<Integer, Integer> copies = new HashMap<>();
    int previous = -1;
    int start = 0;
    for (int i = 0; i < stream.size(); i++) {
      if (stream.get(i) == TokenShards.EOS) {
        int[] piece = stream.subList(start, i).stream().mapToInt(Integer::intValue).toArray();
        TokenShards.Doc doc = docs.get(piece[0]);
        assertArrayEquals(doc.tokens(), piece, "document " + piece[0] + " arrives whole");
        assertNotEquals(previous, piece[0], "copies of a document are never back to back");
        previous = piece[0];
        copies.merge(piece[0], 1, Integer::sum);
        start = i + 1;
      }
    }
    assertEquals(stream.size(), start, "the pass ends with an EOS");
    int extra = 0;
    for (TokenShards.Doc d : docs) {
      int n = copies.getOrDefault(d.number(), 0);
      switch (d.bucket()) {
        case 0 -> assertEquals(3, n, "bucket 0 has 3 epochs");
        case 1 -> {
          assertTrue(n == 1 || n == 2, "bucket 1 has 1.5 epochs: " + n);
          extra += n - 1;
        }
        case 2 -> assertEquals(1, n);
        default -> assertEquals(0, n, "bucket 3 is not selected");
      }
    }
    assertTrue(extra > 20 && extra < 55, "about half of bucket 1's 75 documents twice: " + extra);
  }

  @Test
  void labelsPositionsAndBoundariesFollowTheInputs() {
    for (FeedBatch b : reference.subList(0, (int) perPass)) {
      int[] in = b.inputIds();
      int real = in.length; // inputs before padding
      for (int j = 0; j < in.length; j++) {
        if (b.labels()[j] == SequencePacker.IGNORE) {
          real = j + 1;
          break;
        }
      }
      List<Integer> cu = new ArrayList<>(List.of(0));
      int segment = 0;
      for (int j = 0; j < in.length; j++) {
        if (j > 0 && j <= real && in[j - 1] == TokenShards.EOS) {
          segment = j;
          cu.add(j);
        }
        assertEquals(j - segment, b.positionIds()[j], "position at " + j + " of " + b.sequence());
        if (j + 1 < in.length && j + 1 < real) {
          assertEquals(in[j + 1], b.labels()[j], "label is the next input");
        }
        if (j >= real) {
          assertEquals(TokenShards.EOS, in[j], "padding is EOS");
          assertEquals(SequencePacker.IGNORE, b.labels()[j]);
        }
      }
      cu.add(SEQ);
      assertArrayEquals(
          cu.stream().mapToInt(Integer::intValue).toArray(), b.cuSeqlens(), "" + b.sequence());
    }
  }

  @Test
  void everySplitReassemblesToTheSingleRankStream() throws Exception {
    for (Layout layout : Layout.values()) {
      int dp = 2;
      int sp = 4;
      long steps = perPass / dp + 1;
      Map<Long, int[][]> seqs = new HashMap<>(); // global index -> {input, labels, positions}
      for (int d = 0; d < dp; d++) {
        for (int s = 0; s < sp; s++) {
          List<FeedBatch> got = read(request(layout, d, dp, s, sp, FeedState.start(SEED), steps));
          assertEquals(steps, got.size());
          for (int step = 0; step < got.size(); step++) {
            FeedBatch b = got.get(step);
            long global = b.epoch() * perPass + b.sequence();
            assertEquals(step * dp + d, global, "rank " + d + " step " + step);
            assertEquals(SEQ / sp, b.inputIds().length);
            assertArrayEquals(reference.get((int) global).cuSeqlens(), b.cuSeqlens());
            int[][] full = seqs.computeIfAbsent(global, g -> new int[3][SEQ]);
            long[][] ranges = layout.ranges(SEQ, sp, s);
            int at = 0;
            for (long[] r : ranges) {
              int n = (int) (r[1] - r[0]);
              System.arraycopy(b.inputIds(), at, full[0], (int) r[0], n);
              System.arraycopy(b.labels(), at, full[1], (int) r[0], n);
              System.arraycopy(b.positionIds(), at, full[2], (int) r[0], n);
              at += n;
            }
          }
        }
      }
      for (Map.Entry<Long, int[][]> e : seqs.entrySet()) {
        FeedBatch want = reference.get(e.getKey().intValue());
        assertArrayEquals(want.inputIds(), e.getValue()[0], layout + " inputs " + e.getKey());
        assertArrayEquals(want.labels(), e.getValue()[1], layout + " labels " + e.getKey());
        assertArrayEquals(want.positionIds(), e.getValue()[2], layout + " positions " + e.getKey());
      }
    }
  }

  @Test
  void zigzagGivesRankRChunksRAnd2PMinus1MinusR() {
    long[][] r = Layout.ZIGZAG.ranges(64, 4, 1);
    assertArrayEquals(new long[] {8, 16}, r[0]);
    assertArrayEquals(new long[] {48, 56}, r[1]);
  }

  @Test
  void resumeWithAnotherDpSizeNeitherLosesNorRepeats() throws Exception {
    // Run 1: dp=2 for 3 steps. Run 2: resume with dp=3 for 4 steps, crossing into pass 1.
    FeedState start = new FeedState(SEED, 0, perPass - 10);
    List<Long> seen = new ArrayList<>();
    FeedState state = start;
    for (int[] run : new int[][] {{2, 3}, {3, 4}}) {
      int dp = run[0];
      FeedState next = null;
      for (int d = 0; d < dp; d++) {
        FeedRequest r = request(Layout.CONTIGUOUS, d, dp, 0, 1, FeedState.start(SEED), run[1]);
        try (BatchStream s = client.resume(r, state)) {
          for (FeedBatch b : s) {
            long global = b.epoch() * perPass + b.sequence();
            seen.add(global);
            assertArrayEquals(reference.get((int) global).inputIds(), b.inputIds());
          }
          if (next != null) {
            assertEquals(next, s.state(), "every rank ends in the same state");
          }
          next = s.state();
        }
      }
      state = next;
    }
    long first = perPass - 10;
    List<Long> want = new ArrayList<>();
    for (long g = first; g < first + 2 * 3 + 3 * 4; g++) {
      want.add(g);
    }
    seen.sort(Long::compare);
    assertEquals(want, seen, "each sequence exactly once");
    assertEquals(new FeedState(SEED, 1, 18 - 10), state);
  }

  @Test
  void anotherSeedIsAnotherOrder() throws Exception {
    List<FeedBatch> other = read(request(Layout.CONTIGUOUS, 0, 1, 0, 1, FeedState.start(7), 3));
    assertTrue(!Arrays.equals(other.get(0).inputIds(), reference.get(0).inputIds()));
  }
}
