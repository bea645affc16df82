package io.sluice.index;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transformer encoder run with ONNX Runtime: texts in, L2-normalised embeddings out. Batches are
 * padded to their longest member; inputs longer than {@link TowerConfig#maxTokens()} are truncated
 * (keeping the final special token) and counted in {@link #truncated()}.
 *
 * <p>Device: CPU by default; {@code cuda} appends ONNX Runtime's CUDA execution provider, which
 * needs the {@code onnxruntime_gpu} artifact in place of {@code onnxruntime} and a GPU — neither is
 * present on the build machines, so that path is selectable but untested here.
 *
 * <p>Owns a native session and tokenizer: close it. {@link #encode} may be called from several
 * threads (ONNX Runtime sessions are thread-safe).
 */
final class OnnxEncoder implements AutoCloseable {

  private final TowerConfig config;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean typeIds;
  private final int dim;
  private final AtomicLong truncated = new AtomicLong();
  private final AtomicLong encoded = new AtomicLong();

  /**
   * @param threads intra-op threads (0 = ONNX Runtime's default, all cores)
   * @param device {@code cpu} or {@code cuda}
   * @throws IllegalArgumentException naming the file when the model or tokenizer is missing or
   *     cannot be loaded
   */
  OnnxEncoder(TowerConfig config, int threads, String device) {
    this.config = config;
    byte[] model = read(config.model(), "model");
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              new java.io.ByteArrayInputStream(read(config.tokenizer(), "tokenizer")),
              Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "true"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer " + config.tokenizer() + ": " + e.getMessage(), e);
    }
    try {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      if (threads > 0) {
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
      }
      if ("cuda".equals(device)) {
        o.addCUDA(0);
      } else if (!"cpu".equals(device)) {
        throw new IllegalArgumentException("device must be cpu or cuda, got '" + device + "'");
      }
      this.session = OrtEnvironment.getEnvironment().createSession(model, o);
      this.typeIds = session.getInputNames().contains("token_type_ids");
      this.dim = probeDim();
    } catch (OrtException e) {
      tokenizer.close();
      throw new IllegalArgumentException(
          "cannot load ONNX model " + config.model() + ": " + e.getMessage(), e);
    }
  }

  /** The bytes of a model or tokenizer file, or of a {@code classpath:} resource. */
  static byte[] read(String location, String what) {
    try {
      if (location.startsWith("classpath:")) {
        String res = location.substring("classpath:".length());
        try (InputStream in = OnnxEncoder.class.getResourceAsStream(res)) {
          if (in == null) {
            throw new IllegalArgumentException(
                what + " file not found: " + location + " (is the model jar on the classpath?)");
          }
          return in.readAllBytes();
        }
      }
      Path p = Path.of(location);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(what + " file not found: " + p);
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + what + " " + location, e);
    }
  }

  private int probeDim() throws OrtException {
    return encodeBatch(List.of("dimension probe")).length;
  }

  TowerConfig config() {
    return config;
  }

  int dim() {
    return dim;
  }

  /** Inputs truncated so far. */
  long truncated() {
    return truncated.get();
  }

  /** Inputs encoded so far. */
  long encoded() {
    return encoded.get();
  }

  /** Encodes queries (with the query prefix); n × dim floats, row-major. */
  float[] encodeQueries(List<String> queries, int batch) {
    return encode(queries.stream().map(q -> config.queryPrefix() + q).toList(), batch);
  }

  /** Encodes passages (with the passage prefix); n × dim floats, row-major. */
  float[] encodePassages(List<String> passages, int batch) {
    return encode(passages.stream().map(p -> config.passagePrefix() + p).toList(), batch);
  }

  private float[] encode(List<String> texts, int batch) {
    float[] out = new float[texts.size() * dim];
    // Sort by length so each batch pads little; results go back to input order.
    Integer[] order = new Integer[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(texts.get(a).length(), texts.get(b).length()));
    for (int from = 0; from < order.length; from += batch) {
      int to = Math.min(order.length, from + batch);
      List<String> chunk = Arrays.stream(order, from, to).map(texts::get).toList();
      float[] v;
      try {
        v = encodeBatch(chunk);
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX inference failed for " + config.name(), e);
      }
      for (int i = from; i < to; i++) {
        System.arraycopy(v, (i - from) * dim, out, order[i] * dim, dim);
      }
    }
    encoded.addAndGet(texts.size());
    return out;
  }

  private float[] encodeBatch(List<String> texts) throws OrtException {
    int n = texts.size();
    long[][] ids = new long[n][];
    long[][] types = new long[n][];
    int len = 0;
    int max = config.maxTokens();
    for (int i = 0; i < n; i++) {
      Encoding e = tokenizer.encode(texts.get(i));
      long[] id = e.getIds();
      long[] ty = e.getTypeIds();
      if (id.length > max) {
        truncated.incrementAndGet();
        long last = id[id.length - 1]; // [SEP] / </s>
        id = Arrays.copyOf(id, max);
        id[max - 1] = last;
        ty = Arrays.copyOf(ty, max);
      }
      ids[i] = id;
      types[i] = ty;
      len = Math.max(len, id.length);
    }
    long[] flatIds = new long[n * len];
    long[] flatMask = new long[n * len];
    long[] flatTypes = new long[n * len];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, flatIds, i * len, ids[i].length);
      Arrays.fill(flatMask, i * len, i * len + ids[i].length, 1L);
      System.arraycopy(types[i], 0, flatTypes, i * len, types[i].length);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {n, len};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(flatMask), shape));
      if (typeIds) {
        inputs.put(
            "token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatTypes), shape));
      }
      try (OrtSession.Result r = session.run(inputs)) {
        float[][][] hidden = (float[][][]) r.get(0).getValue();
        int h = hidden[0][0].length;
        float[] out = new float[n * h];
        for (int i = 0; i < n; i++) {
          if (config.pooling().equals("cls")) {
            System.arraycopy(hidden[i][0], 0, out, i * h, h);
          } else {
            int t = ids[i].length;
            for (int j = 0; j < t; j++) {
              for (int k = 0; k < h; k++) {
                out[i * h + k] += hidden[i][j][k];
              }
            }
            for (int k = 0; k < h; k++) {
              out[i * h + k] /= t;
            }
          }
          normalize(out, i * h, h);
        }
        return out;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  static void normalize(float[] v, int off, int len) {
    double s = 0;
    for (int k = 0; k < len; k++) {
      s += v[off + k] * v[off + k];
    }
    float inv = s == 0 ? 0 : (float) (1 / Math.sqrt(s));
    for (int k = 0; k < len; k++) {
      v[off + k] *= inv;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX session of " + config.name(), e);
    } finally {
      tokenizer.close();
    }
  }
}
