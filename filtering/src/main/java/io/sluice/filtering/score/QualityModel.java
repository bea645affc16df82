package io.sluice.filtering.score;

import io.sluice.filtering.signals.Signal;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * A trained quality classifier: {@code quality_score = sigmoid(w·x + b)}, in (0, 1), higher is
 * better. Immutable and thread-safe.
 *
 * <p>File format (big-endian): magic {@code SLQM}, version 1, hash bits, signal count, then the
 * signal means, standard deviations and weights, the hashed weights, the bias, and a CRC-32 of all
 * preceding bytes. {@link #read} verifies magic, version, signal count and checksum, and names the
 * resource in its errors.
 */
public final class QualityModel implements java.io.Serializable {

  private static final long serialVersionUID = 1L;

  static final int MAGIC = 0x534C514D; // "SLQM"
  static final int VERSION = 1;
  static final int MAX_CHARS = 20_000;

  final int bits;
  final float[] mean;
  final float[] std;
  final float[] dense;
  final float[] hashed;
  final float bias;

  QualityModel(int bits, float[] mean, float[] std, float[] dense, float[] hashed, float bias) {
    this.bits = bits;
    this.mean = mean;
    this.std = std;
    this.dense = dense;
    this.hashed = hashed;
    this.bias = bias;
  }

  /** The model bundled with Sluice (see the README beside the resource for how it was trained). */
  public static QualityModel bundled() {
    String resource = "/io/sluice/filtering/score/quality-model.bin";
    try (InputStream in = QualityModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled quality model missing: " + resource);
      }
      return read(in, resource);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read bundled quality model " + resource + ": " + e.getMessage(), e);
    }
  }

  /** The score of a document with these signals and text. */
  public double score(double[] signals, String text) {
    return sigmoid(logit(signals, Features.hashed(text, bits, MAX_CHARS)));
  }

  double logit(double[] signals, Features f) {
    return logit(signals, f, bias);
  }

  /** The logit with another bias: what training needs while the bias is being learnt. */
  double logit(double[] signals, Features f, double withBias) {
    double z = withBias;
    for (int i = 0; i < dense.length; i++) {
      z += dense[i] * standardised(signals, i);
    }
    for (int i = 0; i < f.index.length; i++) {
      z += hashed[f.index[i]] * f.value[i];
    }
    return z;
  }

  double standardised(double[] signals, int i) {
    double x = signals[i];
    return Double.isNaN(x) ? 0 : clip((x - mean[i]) / std[i]);
  }

  private static double clip(double z) {
    return Math.max(-8, Math.min(8, z));
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  public void write(OutputStream out) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(buf);
    d.writeInt(MAGIC);
    d.writeInt(VERSION);
    d.writeInt(bits);
    d.writeInt(dense.length);
    for (float[] a : new float[][] {mean, std, dense}) {
      for (float x : a) {
        d.writeFloat(x);
      }
    }
    for (float x : hashed) {
      d.writeFloat(x);
    }
    d.writeFloat(bias);
    d.flush();
    CRC32 crc = new CRC32();
    crc.update(buf.toByteArray());
    d.writeLong(crc.getValue());
    d.flush();
    buf.writeTo(out);
  }

  public static QualityModel read(InputStream in, String resource) throws IOException {
    byte[] all = in.readAllBytes();
    if (all.length < 24) {
      throw new IOException("not a Sluice quality model (too short): " + resource);
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(all));
    if (d.readInt() != MAGIC) {
      throw new IOException("not a Sluice quality model (bad magic): " + resource);
    }
    int version = d.readInt();
    if (version != VERSION) {
      throw new IOException(
          "quality model version "
              + version
              + " vs supported "
              + VERSION
              + " (resource="
              + resource
              + ")");
    }
    int bits = d.readInt();
    int n = d.readInt();
    if (n != Signal.values().length || bits < 8 || bits > 26) {
      throw new IOException(
          "quality model has "
              + n
              + " signals and "
              + bits
              + " hash bits, expected "
              + Signal.values().length
              + " signals (resource="
              + resource
              + ")");
    }
    float[][] dense = new float[3][n];
    for (float[] a : dense) {
      for (int i = 0; i < n; i++) {
        a[i] = d.readFloat();
      }
    }
    float[] hashed = new float[1 << bits];
    for (int i = 0; i < hashed.length; i++) {
      hashed[i] = d.readFloat();
    }
    float bias = d.readFloat();
    long stored = d.readLong();
    if (stored != crc.getValue()) {
      throw new IOException(
          "quality model checksum mismatch: stored "
              + Long.toHexString(stored)
              + " vs computed "
              + Long.toHexString(crc.getValue())
              + " (resource="
              + resource
              + ")");
    }
    return new QualityModel(bits, dense[0], dense[1], dense[2], hashed, bias);
  }
}
