package io.sluice.index;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.MemberSetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.StdString;

/**
 * Hand-written JavaCPP peer class of the FAISS 1.7.3 C++ API that Sluice uses (Debian's {@code
 * libfaiss-dev}; no FAISS artifact exists on Maven Central). The javacpp Maven plugin's {@code
 * build} goal turns it into {@code libjniFaissNative.so} in phase {@code process-classes},
 * statically linking Debian's {@code libfaiss.a}.
 *
 * <p>Only {@link FaissIndex} uses these types; they never leave the package. Ownership: objects
 * made with a Java constructor ({@code new IndexFlatIP(d)}) are freed by {@link Pointer#close()};
 * an {@link Index} returned by {@link #index_factory} or {@link #read_index} is owned by the caller
 * and must be freed with {@link #sluice_delete_index}. C++ exceptions ({@code
 * faiss::FaissException}) surface as {@link RuntimeException} with FAISS's message.
 */
@Platform(
    include = {
      "<omp.h>",
      "<faiss/Index.h>",
      "<faiss/IndexFlat.h>",
      "<faiss/IndexHNSW.h>",
      "<faiss/IndexIVFFlat.h>",
      "<faiss/IndexIVFPQ.h>",
      "<faiss/index_factory.h>",
      "<faiss/AutoTune.h>",
      "<faiss/index_io.h>",
      "<faiss/utils/distances.h>",
      "sluice_faiss.h"
    },
    // The static libfaiss.a needs its dependencies after it on the linker line; JavaCPP writes
    // this list in reverse order.
    link = {"gomp", "blas", "lapack", "faiss"},
    compiler = "cpp11")
final class FaissNative {

  static {
    Loader.load();
  }

  private FaissNative() {}

  /** {@code faiss::METRIC_INNER_PRODUCT}. */
  static final int METRIC_INNER_PRODUCT = 0;

  /** {@code faiss::METRIC_L2}. */
  static final int METRIC_L2 = 1;

  /** {@code faiss::Index}: the abstract index every FAISS index type extends. */
  @Namespace("faiss")
  @Name("Index")
  public static class Index extends Pointer {
    static {
      Loader.load();
    }

    public Index(Pointer p) {
      super(p);
    }

    public native @MemberGetter int d();

    public native @MemberGetter @Cast("int64_t") long ntotal();

    public native @MemberGetter @Cast("bool") boolean is_trained();

    public native @MemberGetter @Cast("int") int metric_type();

    public native void train(@Cast("faiss::Index::idx_t") long n, @Const FloatPointer x);

    public native void add(@Cast("faiss::Index::idx_t") long n, @Const FloatPointer x);

    public native void search(
        @Cast("faiss::Index::idx_t") long n,
        @Const FloatPointer x,
        @Cast("faiss::Index::idx_t") long k,
        FloatPointer distances,
        @Cast("faiss::Index::idx_t*") LongPointer labels);

    public native void reset();

    public native void reconstruct(@Cast("faiss::Index::idx_t") long key, FloatPointer out);
  }

  /** {@code faiss::IndexFlatIP}: exact inner-product search. */
  @Namespace("faiss")
  @Name("IndexFlatIP")
  public static class IndexFlatIP extends Index {
    static {
      Loader.load();
    }

    public IndexFlatIP(long d) {
      super((Pointer) null);
      allocate(d);
    }

    private native void allocate(@Cast("faiss::Index::idx_t") long d);
  }

  /** {@code faiss::IndexFlatL2}: exact L2 search. */
  @Namespace("faiss")
  @Name("IndexFlatL2")
  public static class IndexFlatL2 extends Index {
    static {
      Loader.load();
    }

    public IndexFlatL2(long d) {
      super((Pointer) null);
      allocate(d);
    }

    private native void allocate(@Cast("faiss::Index::idx_t") long d);
  }

  /** {@code faiss::IndexHNSWFlat}: HNSW graph over full vectors. */
  @Namespace("faiss")
  @Name("IndexHNSWFlat")
  public static class IndexHNSWFlat extends Index {
    static {
      Loader.load();
    }

    public IndexHNSWFlat(int d, int m, int metric) {
      super((Pointer) null);
      allocate(d, m, metric);
    }

    private native void allocate(int d, int m, @Cast("faiss::MetricType") int metric);
  }

  /**
   * {@code faiss::IndexIVFFlat}. The quantizer is not owned (FAISS's {@code own_fields} stays
   * false): the caller keeps it alive and closes it after this index.
   */
  @Namespace("faiss")
  @Name("IndexIVFFlat")
  public static class IndexIVFFlat extends Index {
    static {
      Loader.load();
    }

    public IndexIVFFlat(Index quantizer, long d, long nlist, int metric) {
      super((Pointer) null);
      allocate(quantizer, d, nlist, metric);
    }

    private native void allocate(
        Index quantizer,
        @Cast("size_t") long d,
        @Cast("size_t") long nlist,
        @Cast("faiss::MetricType") int metric);
  }

  /** {@code faiss::IndexIVFPQ}; the quantizer is not owned, as for {@link IndexIVFFlat}. */
  @Namespace("faiss")
  @Name("IndexIVFPQ")
  public static class IndexIVFPQ extends Index {
    static {
      Loader.load();
    }

    public IndexIVFPQ(Index quantizer, long d, long nlist, long m, long nbits, int metric) {
      super((Pointer) null);
      allocate(quantizer, d, nlist, m, nbits, metric);
    }

    private native void allocate(
        Index quantizer,
        @Cast("size_t") long d,
        @Cast("size_t") long nlist,
        @Cast("size_t") long m,
        @Cast("size_t") long nbits,
        @Cast("faiss::MetricType") int metric);
  }

  /** {@code faiss::ParameterSpace}: sets search-time parameters by name (nprobe, efSearch, …). */
  @Namespace("faiss")
  @Name("ParameterSpace")
  public static class ParameterSpace extends Pointer {
    static {
      Loader.load();
    }

    public ParameterSpace() {
      allocate();
    }

    private native void allocate();

    public native void set_index_parameter(Index index, @StdString String name, double value);
  }

  /** Builds an index from a factory string; the caller owns the result. */
  @Namespace("faiss")
  static native Index index_factory(
      int d, @Cast("const char*") String description, @Cast("faiss::MetricType") int metric);

  @Namespace("faiss")
  static native void write_index(@Const Index index, @Cast("const char*") String file);

  /** Reads an index file; the caller owns the result. */
  @Namespace("faiss")
  static native Index read_index(@Cast("const char*") String file, int ioFlags);

  static native void sluice_delete_index(Index index);

  static native void omp_set_num_threads(int threads);

  /**
   * {@code faiss::distance_compute_blas_threshold}: exhaustive searches of at least this many
   * queries at once go through BLAS (default 20), smaller ones through FAISS's own loops.
   */
  @Namespace("faiss")
  @MemberSetter
  @Name("distance_compute_blas_threshold")
  static native void distance_compute_blas_threshold(int queries);

  @Namespace("faiss")
  @MemberGetter
  @Name("distance_compute_blas_threshold")
  static native int distance_compute_blas_threshold();

  static native int omp_get_max_threads();
}
