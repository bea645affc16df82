package io.sluice.index;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes one shard's passages with the document tower and fills its FAISS index. Flat and HNSW
 * indexes take vectors as they come; IVF-PQ buffers a training sample first (the first passages of
 * the shard, which are in document-id hash order), trains, then adds the buffer and the rest.
 *
 * <p>Owns the encoder and the FAISS index; not thread-safe.
 */
final class DenseBuilder implements AutoCloseable {

  private final OnnxEncoder encoder;
  private final FaissIndex index;
  private final String factory;
  private final int batch;
  private final int trainSize;
  private float[] buffer;
  private int buffered;

  DenseBuilder(IndexJob.Options o, DenseType type, long passages, String shard) {
    this.encoder = new OnnxEncoder(o.docTower(), o.threads(), o.device());
    this.batch = o.batchSize();
    int dim = encoder.dim();
    this.factory = type.factory(passages, dim);
    this.index = FaissIndex.factory(shard, dim, factory, true);
    DenseType.buildParameters(factory).forEach(index::parameter);
    this.trainSize =
        index.isTrained()
            ? 0
            : (int) Math.min(passages, Math.max(50_000, 64L * DenseType.nlist(passages)));
    this.buffer = trainSize == 0 ? null : new float[trainSize * dim];
  }

  String factory() {
    return factory;
  }

  long size() {
    return index.size() + buffered;
  }

  void add(List<String> passages) {
    float[] v = encoder.encodePassages(passages, batch);
    if (buffer == null) {
      index.add(v);
      return;
    }
    int dim = encoder.dim();
    int n = passages.size();
    int take = Math.min(n, trainSize - buffered);
    System.arraycopy(v, 0, buffer, buffered * dim, take * dim);
    buffered += take;
    if (buffered == trainSize) {
      trainAndFlush();
      if (take < n) {
        index.add(Arrays.copyOfRange(v, take * dim, n * dim));
      }
    }
  }

  private void trainAndFlush() {
    float[] sample = Arrays.copyOf(buffer, buffered * encoder.dim());
    index.train(sample);
    index.add(sample);
    buffer = null;
    buffered = 0;
  }

  /**
   * Trains if still needed, writes the index file.
   *
   * @return how many passages were truncated to the tower's maximum length
   */
  long finish(Path file) {
    if (buffer != null) {
      trainAndFlush();
    }
    index.write(file);
    return encoder.truncated();
  }

  @Override
  public void close() {
    try {
      index.close();
    } finally {
      encoder.close();
    }
  }
}
