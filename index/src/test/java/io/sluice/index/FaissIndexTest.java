package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JavaCPP FAISS binding against a brute-force search computed in Java. */
class FaissIndexTest {

  private static final long SEED = Long.getLong("tests.seed", 7L);
  private static final int DIM = 32;

  @TempDir Path tmp;

  @Test
  void flatInnerProductMatchesBruteForce() {
    float[] base = Vectors.clustered(new Random(SEED), 2000, DIM, 20);
    float[] queries = Vectors.clustered(new Random(SEED + 1), 50, DIM, 20);
    try (FaissIndex flat = FaissIndex.flatIp("flat", DIM)) {
      flat.add(base);
      assertEquals(2000, flat.size());
      float[] row5 = flat.reconstruct(5);
      for (int j = 0; j < DIM; j++) {
        assertEquals(base[5 * DIM + j], row5[j], 0f);
      }
      FaissIndex.Result r = flat.search(queries, 10);
      for (int q = 0; q < 50; q++) {
        int best = Vectors.bruteForceTop1(base, queries, q, DIM);
        assertEquals(best, r.labels()[q * 10], "query " + q + " (seed " + SEED + ")");
      }
    }
  }

  @Test
  void approximateIndexesReachHighRecallAndSurviveWriteRead() {
    float[] base = Vectors.clustered(new Random(SEED), 5000, DIM, 50);
    float[] queries = Vectors.clustered(new Random(SEED + 2), 100, DIM, 50);
    int[] truth = new int[100];
    for (int q = 0; q < 100; q++) {
      truth[q] = Vectors.bruteForceTop1(base, queries, q, DIM);
    }
    for (String spec : new String[] {"HNSW32", "IVF64,Flat", "IVF64,PQ8np,RFlat"}) {
      Path file = tmp.resolve(spec.replace(',', '_') + ".faiss");
      try (FaissIndex idx = FaissIndex.factory(spec, DIM, spec, true)) {
        DenseType.buildParameters(spec).forEach(idx::parameter); // efConstruction for HNSW
        if (!idx.isTrained()) {
          idx.train(base);
        }
        idx.add(base);
        idx.write(file);
      }
      try (FaissIndex idx = FaissIndex.read(file)) {
        if (spec.startsWith("IVF")) {
          idx.parameter("nprobe", 16);
        } else {
          idx.parameter("efSearch", 64);
        }
        if (spec.endsWith("RFlat")) {
          idx.parameter("k_factor_rf", 4);
        }
        FaissIndex.Result r = idx.search(queries, 10);
        int hits = 0;
        for (int q = 0; q < 100; q++) {
          for (int j = 0; j < 10; j++) {
            if (r.labels()[q * 10 + j] == truth[q]) {
              hits++;
            }
          }
        }
        assertTrue(hits >= 90, spec + ": true nearest neighbour in top 10 for " + hits + "/100");
      }
    }
  }

  /**
   * IVF-PQ + exact re-rank as the index job builds it ({@link DenseType#factory}) and with the
   * search parameters it writes to the manifest, against exact search, on data where the PQ codes
   * alone cannot order the neighbours: 500 vectors per cluster whose scores to a query are close.
   * The re-rank must reach past PQ's top 4k (with k_factor_rf 4, recall@10 was 0.53 here).
   */
  @Test
  void ivfPqWithExactRerankMatchesFlatWithTheManifestParameters() {
    int dim = 64;
    int n = 5000;
    float[] base = Vectors.clustered(new Random(SEED), n, dim, 10, 0.5f);
    float[] queries = Vectors.clustered(new Random(SEED + 3), 200, dim, 10, 0.5f);
    long[] truth;
    try (FaissIndex flat = FaissIndex.flatIp("flat", dim)) {
      flat.add(base);
      truth = flat.search(queries, 10).labels();
    }
    String spec = DenseType.IVFPQ.factory(n, dim);
    assertEquals("IVF128,PQ8np,RFlat", spec);
    try (FaissIndex idx = FaissIndex.factory("ivfpq", dim, spec, true)) {
      idx.train(base);
      idx.add(base);
      assertEquals(n, idx.size());
      DenseType.searchParameters()
          .forEach(
              (p, v) -> {
                if (DenseType.applies(spec, p)) {
                  idx.parameter(p, v);
                }
              });
      double recall = Vectors.recall(idx.search(queries, 10).labels(), truth, 10);
      // The PQ order alone (one candidate per result: the re-rank only reorders PQ's top 10).
      idx.parameter("k_factor_rf", 1);
      double pqOnly = Vectors.recall(idx.search(queries, 10).labels(), truth, 10);
      String seen =
          spec + ": recall@10 " + recall + ", PQ order " + pqOnly + " (seed " + SEED + ")";
      assertTrue(recall >= 0.9, seen);
      assertTrue(pqOnly < 0.5, "the data must be hard for PQ alone: " + seen);
    }
  }

  @Test
  void constructedIvfPqTrainsAndSearches() {
    float[] base = Vectors.clustered(new Random(SEED), 3000, DIM, 30);
    try (FaissIndex idx = FaissIndex.ivfPq("ivfpq", DIM, 32, 8, 8)) {
      idx.train(base);
      idx.add(base);
      idx.parameter("nprobe", 32);
      FaissIndex.Result r = idx.search(java.util.Arrays.copyOf(base, DIM), 5);
      assertEquals(5, r.labels().length);
      assertTrue(r.labels()[0] >= 0);
    }
  }

  @Test
  void misuseAndBadInputFailClearly() throws Exception {
    FaissIndex flat = FaissIndex.hnswFlat("shard-3", DIM, 16);
    IllegalArgumentException dim =
        assertThrows(IllegalArgumentException.class, () -> flat.add(new float[DIM + 1]));
    assertTrue(dim.getMessage().contains("shard-3"), dim.getMessage());
    flat.close();
    flat.close();
    IllegalStateException closed =
        assertThrows(IllegalStateException.class, () -> flat.search(new float[DIM], 1));
    assertEquals("FaissIndex[shard-3] is closed", closed.getMessage());

    Path missing = tmp.resolve("missing.faiss");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FaissIndex.read(missing))
            .getMessage()
            .contains(missing.toString()));
    Path corrupt = Files.writeString(tmp.resolve("corrupt.faiss"), "not an index");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> FaissIndex.read(corrupt))
            .getMessage()
            .contains("corrupt.faiss"));
    assertThrows(
        IllegalArgumentException.class, () -> FaissIndex.factory("x", DIM, "NoSuchIndex", true));
  }
}
