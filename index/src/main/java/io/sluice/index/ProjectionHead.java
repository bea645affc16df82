package io.sluice.index;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The trainable part of the distilled query tower: maps the small encoder's embedding (dimension
 * {@code dIn}) into the document tower's space ({@code dOut}), then L2-normalises. Linear ({@code y
 * = W·x + b}) or a small MLP with one ReLU hidden layer ({@code y = W2·relu(W1·x + b1) + b2}).
 *
 * <p>File format ({@code query-head.bin}): magic {@code SLQH}, version 1, type (0 linear, 1 mlp),
 * dIn, hidden, dOut as big-endian ints, the parameters as big-endian floats (W1, b1[, W2, b2]),
 * then the CRC32 of everything before it as a long.
 *
 * <p>Parameters are public to the package and mutated in place by {@link Distiller}; a head that is
 * being trained must not be used concurrently. After training, {@link #apply} is thread-safe.
 */
final class ProjectionHead {

  private static final int MAGIC = 0x534C5148; // "SLQH"
  private static final int VERSION = 1;

  final int dIn;
  final int hidden;
  final int dOut;
  final boolean mlp;

  /** Layer 1: rows × dIn where rows = hidden (mlp) or dOut (linear). */
  final float[] w1;

  final float[] b1;

  /** Layer 2 (mlp only): dOut × hidden. */
  final float[] w2;

  final float[] b2;

  ProjectionHead(int dIn, int hidden, int dOut, boolean mlp) {
    if (dIn < 1 || dOut < 1 || (mlp && hidden < 1)) {
      throw new IllegalArgumentException(
          "bad head shape: dIn=" + dIn + " hidden=" + hidden + " dOut=" + dOut);
    }
    this.dIn = dIn;
    this.hidden = mlp ? hidden : 0;
    this.dOut = dOut;
    this.mlp = mlp;
    int rows = mlp ? hidden : dOut;
    this.w1 = new float[rows * dIn];
    this.b1 = new float[rows];
    this.w2 = mlp ? new float[dOut * hidden] : new float[0];
    this.b2 = mlp ? new float[dOut] : new float[0];
  }

  /** Applies the head to n row-major vectors of dIn; returns n × dOut, normalised rows. */
  float[] apply(float[] x) {
    int n = x.length / dIn;
    float[] out = new float[n * dOut];
    float[] h = new float[mlp ? hidden : dOut];
    for (int i = 0; i < n; i++) {
      forward(x, i * dIn, h, out, i * dOut);
      OnnxEncoder.normalize(out, i * dOut, dOut);
    }
    return out;
  }

  /** Un-normalised forward pass of one row; {@code h} receives the hidden activations (mlp). */
  void forward(float[] x, int xOff, float[] h, float[] y, int yOff) {
    int rows = mlp ? hidden : dOut;
    float[] target = mlp ? h : y;
    int tOff = mlp ? 0 : yOff;
    for (int r = 0; r < rows; r++) {
      float s = b1[r];
      int w = r * dIn;
      for (int c = 0; c < dIn; c++) {
        s += w1[w + c] * x[xOff + c];
      }
      target[tOff + r] = mlp ? Math.max(0, s) : s;
    }
    if (mlp) {
      for (int r = 0; r < dOut; r++) {
        float s = b2[r];
        int w = r * hidden;
        for (int c = 0; c < hidden; c++) {
          s += w2[w + c] * h[c];
        }
        y[yOff + r] = s;
      }
    }
  }

  void write(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(mlp ? 1 : 0);
      out.writeInt(dIn);
      out.writeInt(hidden);
      out.writeInt(dOut);
      for (float[] a : new float[][] {w1, b1, w2, b2}) {
        for (float f : a) {
          out.writeFloat(f);
        }
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.write(bytes.toByteArray());
      out.writeLong(crc.getValue());
    }
  }

  /**
   * @throws IllegalArgumentException naming the file when it is missing, truncated, or fails its
   *     magic, version or checksum
   */
  static ProjectionHead read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("query head file not found: " + file);
    }
    byte[] all = Files.readAllBytes(file);
    if (all.length < 32) {
      throw new IllegalArgumentException(
          "corrupt query head " + file + ": " + all.length + " bytes is too short");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all))) {
      int magic = in.readInt();
      int version = in.readInt();
      if (magic != MAGIC || version != VERSION) {
        throw new IllegalArgumentException(
            "corrupt query head " + file + ": magic/version " + magic + "/" + version);
      }
      boolean mlp = in.readInt() == 1;
      ProjectionHead h = new ProjectionHead(in.readInt(), in.readInt(), in.readInt(), mlp);
      long expected = 24 + 4L * (h.w1.length + h.b1.length + h.w2.length + h.b2.length) + 8;
      if (expected != all.length) {
        throw new IllegalArgumentException(
            "corrupt query head " + file + ": " + all.length + " bytes, expected " + expected);
      }
      for (float[] a : new float[][] {h.w1, h.b1, h.w2, h.b2}) {
        for (int i = 0; i < a.length; i++) {
          a[i] = in.readFloat();
        }
      }
      long stored = in.readLong();
      if (stored != crc.getValue()) {
        throw new IllegalArgumentException(
            "corrupt query head " + file + ": CRC32 " + crc.getValue() + " vs stored " + stored);
      }
      return h;
    }
  }
}
