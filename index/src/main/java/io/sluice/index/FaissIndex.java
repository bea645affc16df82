package io.sluice.index;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * One FAISS index in native memory: build (train, add), search, save and load.
 *
 * <p>Vectors are inner-product (cosine on L2-normalised embeddings) unless made with {@link #l2}.
 * Labels are the insertion order, 0..n-1 (Sluice's passage ordinal within a shard).
 *
 * <p>Ownership: this object owns its native index (and an IVF quantizer made by {@link #ivfFlat} /
 * {@link #ivfPq}); {@link #close()} frees them and is idempotent; any other call after close throws
 * {@link IllegalStateException}. Thread-safety: searches may run concurrently (FAISS's const
 * search); train/add/parameter changes must not overlap anything else.
 */
final class FaissIndex implements AutoCloseable {

  static {
    // Exhaustive distances through BLAS from one query on, not only from 20. Debian's libfaiss is
    // built for baseline x86-64, where FAISS's own distance loops are scalar
    // (fvec_inner_product_ref: 40% of the server's CPU on dense queries), while OpenBLAS picks
    // AVX2/AVX-512 kernels at run time. Process-wide, like everything in FAISS's globals.
    FaissNative.distance_compute_blas_threshold(1);
  }

  private final String name;
  private FaissNative.Index index;
  private FaissNative.Index quantizer;
  private final boolean nativeOwned;

  private FaissIndex(
      String name, FaissNative.Index index, FaissNative.Index quantizer, boolean nativeOwned) {
    this.name = name;
    this.index = index;
    this.quantizer = quantizer;
    this.nativeOwned = nativeOwned;
  }

  /**
   * An index from a FAISS factory string ({@code "Flat"}, {@code "HNSW32"}, {@code
   * "IVF1024,PQ16np"}, {@code "IVF1024,PQ16np,RFlat"}).
   */
  static FaissIndex factory(String name, int dim, String description, boolean innerProduct) {
    if (dim < 1) {
      throw new IllegalArgumentException("dimension must be positive, got " + dim);
    }
    FaissNative.Index i;
    try {
      i =
          FaissNative.index_factory(
              dim,
              description,
              innerProduct ? FaissNative.METRIC_INNER_PRODUCT : FaissNative.METRIC_L2);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "bad FAISS index description '" + description + "' for " + name + ": " + e.getMessage(),
          e);
    }
    return new FaissIndex(name, i, null, true);
  }

  static FaissIndex flatIp(String name, int dim) {
    return new FaissIndex(name, new FaissNative.IndexFlatIP(dim), null, false);
  }

  static FaissIndex l2(String name, int dim) {
    return new FaissIndex(name, new FaissNative.IndexFlatL2(dim), null, false);
  }

  static FaissIndex hnswFlat(String name, int dim, int m) {
    return new FaissIndex(
        name, new FaissNative.IndexHNSWFlat(dim, m, FaissNative.METRIC_INNER_PRODUCT), null, false);
  }

  static FaissIndex ivfFlat(String name, int dim, int nlist) {
    FaissNative.IndexFlatIP q = new FaissNative.IndexFlatIP(dim);
    return new FaissIndex(
        name,
        new FaissNative.IndexIVFFlat(q, dim, nlist, FaissNative.METRIC_INNER_PRODUCT),
        q,
        false);
  }

  static FaissIndex ivfPq(String name, int dim, int nlist, int m, int nbits) {
    FaissNative.IndexFlatIP q = new FaissNative.IndexFlatIP(dim);
    return new FaissIndex(
        name,
        new FaissNative.IndexIVFPQ(q, dim, nlist, m, nbits, FaissNative.METRIC_INNER_PRODUCT),
        q,
        false);
  }

  /**
   * Loads an index written by {@link #write}.
   *
   * @throws IllegalArgumentException naming the file when it is missing or not a FAISS index
   */
  static FaissIndex read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("FAISS index file not found: " + file);
    }
    FaissNative.Index i;
    try {
      i = FaissNative.read_index(file.toString(), 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read FAISS index " + file + ": " + e.getMessage(), e);
    }
    return new FaissIndex(file.getFileName().toString(), i, null, true);
  }

  /** Sets FAISS's OpenMP thread count for this process (it is process-wide in FAISS). */
  static void threads(int n) {
    FaissNative.omp_set_num_threads(n);
  }

  int dim() {
    return ensureOpen().d();
  }

  long size() {
    return ensureOpen().ntotal();
  }

  boolean isTrained() {
    return ensureOpen().is_trained();
  }

  /**
   * @param vectors n × dim floats, row-major
   */
  void train(float[] vectors) {
    FaissNative.Index i = ensureOpen();
    long n = rows(vectors, i.d());
    try (FloatPointer x = new FloatPointer(vectors)) {
      i.train(n, x);
    }
  }

  /** Appends vectors; their labels continue from {@link #size()}. */
  void add(float[] vectors) {
    FaissNative.Index i = ensureOpen();
    long n = rows(vectors, i.d());
    if (!i.is_trained()) {
      throw new IllegalStateException(this + " is not trained; call train() before add()");
    }
    try (FloatPointer x = new FloatPointer(vectors)) {
      i.add(n, x);
    }
  }

  /**
   * Top-k search for each query row.
   *
   * @return labels and scores, k per query, label -1 where fewer than k results exist
   */
  Result search(float[] queries, int k) {
    FaissNative.Index i = ensureOpen();
    int n = (int) rows(queries, i.d());
    try (FloatPointer x = new FloatPointer(queries);
        FloatPointer d = new FloatPointer((long) n * k);
        LongPointer l = new LongPointer((long) n * k)) {
      i.search(n, x, k, d, l);
      float[] scores = new float[n * k];
      long[] labels = new long[n * k];
      d.get(scores);
      l.get(labels);
      return new Result(k, labels, scores);
    }
  }

  /** The stored vector of a label (indexes that keep full vectors: Flat, HNSW, IVF-Flat). */
  float[] reconstruct(long label) {
    FaissNative.Index i = ensureOpen();
    if (label < 0 || label >= i.ntotal()) {
      throw new IllegalArgumentException(
          "label " + label + " out of range [0, " + i.ntotal() + ") (resource=" + name + ")");
    }
    try (FloatPointer out = new FloatPointer(i.d())) {
      i.reconstruct(label, out);
      float[] v = new float[i.d()];
      out.get(v);
      return v;
    }
  }

  /** Sets a search-time parameter by FAISS name: nprobe, efSearch, k_factor_rf, … */
  void parameter(String parameter, double value) {
    FaissNative.Index i = ensureOpen();
    try (FaissNative.ParameterSpace ps = new FaissNative.ParameterSpace()) {
      ps.set_index_parameter(i, parameter, value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot set FAISS parameter "
              + parameter
              + "="
              + value
              + " on "
              + this
              + ": "
              + e.getMessage(),
          e);
    }
  }

  void write(Path file) {
    FaissNative.write_index(ensureOpen(), file.toString());
  }

  private FaissNative.Index ensureOpen() {
    if (index == null) {
      throw new IllegalStateException("FaissIndex[" + name + "] is closed");
    }
    return index;
  }

  private long rows(float[] v, int d) {
    if (v.length % d != 0) {
      throw new IllegalArgumentException(
          "dimension mismatch: "
              + v.length
              + " floats is not a multiple of the index dimension "
              + d
              + " (resource="
              + name
              + ")");
    }
    return v.length / d;
  }

  @Override
  public void close() {
    if (index == null) {
      return;
    }
    if (nativeOwned) {
      FaissNative.sluice_delete_index(index);
    } else {
      index.close();
    }
    index = null;
    if (quantizer != null) {
      quantizer.close();
      quantizer = null;
    }
  }

  @Override
  public String toString() {
    return "FaissIndex[" + name + "]";
  }

  /** Search output: row q holds {@code labels[q*k .. q*k+k)}; scores are inner products or L2². */
  record Result(int k, long[] labels, float[] scores) {}
}
