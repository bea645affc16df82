package io.sluice.index;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The static query tower: one trained vector per token of the document tower's vocabulary; a
 * query's embedding is the L2-normalised sum of its tokens' vectors (a repeated token counts each
 * time). No transformer runs at query time, so encoding a query costs its tokenisation and a few
 * thousand additions: microseconds, where a 6-layer encoder takes milliseconds on a CPU. The
 * vectors are distilled from the document tower ({@link StaticTrainer}), so they land in its query
 * space. The price is word order and context: the tower sees a bag of tokens.
 *
 * <p>File format ({@code query-static.bin}): magic {@code SLQS}, version 1, vocabulary size and
 * dimension as big-endian ints, vocabulary × dimension big-endian floats (row per token id), then
 * the CRC32 of everything before it as a long. The tokenizer ({@code query-static-tokenizer.json},
 * a Hugging Face {@code tokenizer.json}) lies next to it, so an index carries its whole query tower.
 *
 * <p>Owns a native tokenizer: close it. {@link #encode} is thread-safe.
 */
final class StaticEmbeddings implements AutoCloseable {

  /** File name of the token vectors inside the index directory. */
  static final String FILE = "query-static.bin";

  /** File name of the tokenizer inside the index directory. */
  static final String TOKENIZER_FILE = "query-static-tokenizer.json";

  private static final int MAGIC = 0x534C5153; // "SLQS"
  private static final int VERSION = 1;

  private final HuggingFaceTokenizer tokenizer;
  private final float[] vectors;
  private final int vocab;
  private final int dim;

  /**
   * @param vectors vocab × dim, row-major; ownership passes to this tower
   */
  StaticEmbeddings(HuggingFaceTokenizer tokenizer, float[] vectors, int vocab, int dim) {
    if (vocab < 1 || dim < 1 || vectors.length != (long) vocab * dim) {
      throw new IllegalArgumentException(
          "bad static tower shape: " + vectors.length + " floats for " + vocab + " x " + dim);
    }
    this.tokenizer = tokenizer;
    this.vectors = vectors;
    this.vocab = vocab;
    this.dim = dim;
  }

  /** A tokenizer that gives token ids without special tokens, truncation or padding. */
  static HuggingFaceTokenizer tokenizer(byte[] tokenizerJson, String where) {
    try {
      return HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(tokenizerJson),
          Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer " + where + ": " + e.getMessage(), e);
    }
  }

  int dim() {
    return dim;
  }

  int vocab() {
    return vocab;
  }

  /** The token vectors, row-major (the trainer's parameters). */
  float[] vectors() {
    return vectors;
  }

  /** Token ids of a text (no special tokens); ids outside the vocabulary are dropped. */
  long[] tokens(String text) {
    return tokenizer.encode(text).getIds();
  }

  /** n × dim normalised embeddings, row-major. */
  float[] encode(List<String> texts) {
    float[] out = new float[texts.size() * dim];
    for (int i = 0; i < texts.size(); i++) {
      sum(tokens(texts.get(i)), out, i * dim);
      OnnxEncoder.normalize(out, i * dim, dim);
    }
    return out;
  }

  /** Adds the vectors of {@code ids} into {@code out} at {@code off} (un-normalised). */
  void sum(long[] ids, float[] out, int off) {
    for (long id : ids) {
      if (id >= 0 && id < vocab) {
        int row = (int) id * dim;
        for (int k = 0; k < dim; k++) {
          out[off + k] += vectors[row + k];
        }
      }
    }
  }

  /** Writes the vectors file (the tokenizer is copied by the caller). */
  void write(Path file) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer row = ByteBuffer.allocate(4 * dim);
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out =
            new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
      ByteBuffer header = ByteBuffer.allocate(16);
      header.putInt(MAGIC).putInt(VERSION).putInt(vocab).putInt(dim);
      out.write(header.array());
      crc.update(header.array());
      for (int t = 0; t < vocab; t++) {
        row.clear();
        row.asFloatBuffer().put(vectors, t * dim, dim);
        out.write(row.array());
        crc.update(row.array());
      }
      out.writeLong(crc.getValue());
    }
  }

  /**
   * Reads a tower from its vectors file and tokenizer.
   *
   * @throws IllegalArgumentException naming the file when it is missing, truncated, or fails its
   *     magic, version or checksum
   */
  static StaticEmbeddings read(Path file, Path tokenizerFile) throws IOException {
    for (Path p : List.of(file, tokenizerFile)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("static query tower file not found: " + p);
      }
    }
    long size = Files.size(file);
    CRC32 crc = new CRC32();
    float[] vectors;
    int vocab;
    int dim;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      byte[] header = in.readNBytes(16);
      if (header.length < 16) {
        throw new IllegalArgumentException("corrupt static query tower " + file + ": too short");
      }
      crc.update(header);
      ByteBuffer h = ByteBuffer.wrap(header);
      int magic = h.getInt();
      int version = h.getInt();
      vocab = h.getInt();
      dim = h.getInt();
      if (magic != MAGIC || version != VERSION) {
        throw new IllegalArgumentException(
            "corrupt static query tower " + file + ": magic/version " + magic + "/" + version);
      }
      long expected = 16 + 4L * vocab * dim + 8;
      if (vocab < 1 || dim < 1 || expected != size) {
        throw new IllegalArgumentException(
            "corrupt static query tower "
                + file
                + ": "
                + size
                + " bytes, expected "
                + expected
                + " for "
                + vocab
                + " x "
                + dim);
      }
      vectors = new float[vocab * dim];
      byte[] row = new byte[4 * dim];
      for (int t = 0; t < vocab; t++) {
        in.readFully(row);
        crc.update(row);
        ByteBuffer.wrap(row).asFloatBuffer().get(vectors, t * dim, dim);
      }
      long stored = in.readLong();
      if (stored != crc.getValue()) {
        throw new IllegalArgumentException(
            "corrupt static query tower "
                + file
                + ": CRC32 "
                + crc.getValue()
                + " vs stored "
                + stored);
      }
    }
    return new StaticEmbeddings(
        tokenizer(Files.readAllBytes(tokenizerFile), tokenizerFile.toString()),
        vectors,
        vocab,
        dim);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
