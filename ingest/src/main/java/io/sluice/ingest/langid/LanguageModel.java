package io.sluice.ingest.langid;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The hashed character n-gram model: for each n-gram key, the languages that know it and a
 * quantized log-probability bonus over that language's floor for unseen n-grams.
 *
 * <p>Binary layout (big-endian), written by {@code LanguageModelGenerator} in the test sources:
 *
 * <pre>
 *   int    MAGIC ("SLID")
 *   int    VERSION
 *   int    raw payload length
 *   int    deflated payload length
 *   byte[] deflated payload
 *   long   CRC-32 of every byte above
 * payload:
 *   int nLangs; per language: UTF code, byte script, float[MAX_ORDER] floor (natural log)
 *   int nKeys; per key (ascending unsigned): varint delta from previous key
 *   per key: byte entry count; per entry: byte language index, byte bonus (units of 1/QUANT nats)
 * </pre>
 *
 * In memory the keys live in an open-addressing table of longs (key in the high half, entry offset
 * in the low half) so a lookup costs one probe in the common case; entries are shorts ({@code
 * last-flag | lang << 8 | bonus}). Immutable after construction, hence thread-safe.
 */
final class LanguageModel {
  static final int MAGIC = 0x534C4944; // "SLID"
  static final int VERSION = 1;
  static final int MAX_ORDER = 4;

  /** Bonus quantization: one unit is 1/QUANT nats, so one byte spans 16 nats. */
  static final int QUANT = 16;

  static final String RESOURCE = "langid-model.bin";

  final String[] codes;
  final int[] scripts;

  /** floors[lang * (MAX_ORDER + 1) + n]: log-probability charged for an unseen n-gram. */
  final float[] floors;

  private final long[] slots;
  private final int mask;
  final short[] entries;

  private LanguageModel(
      String[] codes, int[] scripts, float[] floors, long[] slots, short[] entries) {
    this.codes = codes;
    this.scripts = scripts;
    this.floors = floors;
    this.slots = slots;
    this.mask = slots.length - 1;
    this.entries = entries;
  }

  /** Loads the bundled resource next to this class. */
  static LanguageModel loadBundled() {
    String name = LanguageModel.class.getPackageName().replace('.', '/') + "/" + RESOURCE;
    try (InputStream in = LanguageModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "Language model resource " + name + " is missing from the classpath");
      }
      return read(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read language model resource " + name, e);
    }
  }

  /**
   * Parses and verifies a model; {@code name} only labels error messages.
   *
   * @throws IllegalStateException naming the resource when the magic, version or checksum is wrong
   */
  static LanguageModel read(InputStream in, String name) throws IOException {
    byte[] all = in.readAllBytes();
    if (all.length < 24) {
      throw corrupt(name, "truncated (" + all.length + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.wrap(all);
    int magic = buf.getInt();
    if (magic != MAGIC) {
      throw corrupt(name, String.format("bad magic 0x%08X, expected 0x%08X", magic, MAGIC));
    }
    int version = buf.getInt();
    if (version != VERSION) {
      throw corrupt(name, "format version " + version + ", this code reads version " + VERSION);
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
    if (stored != crc.getValue()) {
      throw corrupt(
          name,
          String.format("checksum mismatch (stored %08x, computed %08x)", stored, crc.getValue()));
    }
    int rawLength = buf.getInt();
    int deflatedLength = buf.getInt();
    if (deflatedLength != all.length - 24 || rawLength < 0) {
      throw corrupt(
          name, "payload length " + deflatedLength + " does not match file size " + all.length);
    }
    byte[] raw = new byte[rawLength];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(all, 16, deflatedLength);
      int n = inflater.inflate(raw);
      if (n != rawLength || !inflater.finished()) {
        throw corrupt(name, "payload inflates to " + n + " bytes, expected " + rawLength);
      }
    } catch (DataFormatException e) {
      throw corrupt(name, "payload is not valid deflate data: " + e.getMessage());
    } finally {
      inflater.end();
    }
    return parsePayload(new DataInputStream(new ByteArrayInputStream(raw)));
  }

  private static IllegalStateException corrupt(String name, String why) {
    return new IllegalStateException(
        "Language model resource "
            + name
            + " is corrupt or incompatible: "
            + why
            + "; regenerate it with LanguageModelGenerator (see README.md beside it)");
  }

  private static LanguageModel parsePayload(DataInputStream in) throws IOException {
    int nLangs = in.readInt();
    String[] codes = new String[nLangs];
    int[] scripts = new int[nLangs];
    float[] floors = new float[nLangs * (MAX_ORDER + 1)];
    for (int l = 0; l < nLangs; l++) {
      codes[l] = in.readUTF();
      scripts[l] = in.readByte();
      for (int n = 1; n <= MAX_ORDER; n++) {
        floors[l * (MAX_ORDER + 1) + n] = in.readFloat();
      }
    }
    int nKeys = in.readInt();
    int[] keys = new int[nKeys];
    long prev = 0;
    for (int i = 0; i < nKeys; i++) {
      prev += readVarint(in);
      keys[i] = (int) prev;
    }
    int[] counts = new int[nKeys];
    int total = 0;
    for (int i = 0; i < nKeys; i++) {
      counts[i] = in.readUnsignedByte();
      total += counts[i];
    }
    short[] entries = new short[total];
    // Table at most ~60% full keeps linear-probe chains short.
    int capacity = Integer.highestOneBit(Math.max(16, (int) (nKeys / 0.6))) << 1;
    long[] slots = new long[capacity];
    int mask = capacity - 1;
    int offset = 0;
    for (int i = 0; i < nKeys; i++) {
      for (int e = 0; e < counts[i]; e++) {
        int lang = in.readUnsignedByte();
        int bonus = in.readUnsignedByte();
        int last = e == counts[i] - 1 ? 0x8000 : 0;
        entries[offset + e] = (short) (last | lang << 8 | bonus);
      }
      int idx = keys[i] & mask;
      while (slots[idx] != 0) {
        idx = (idx + 1) & mask;
      }
      slots[idx] = ((long) keys[i] << 32) | offset;
      offset += counts[i];
    }
    return new LanguageModel(codes, scripts, floors, slots, entries);
  }

  private static long readVarint(DataInputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
  }

  /** Offset of the first entry for {@code key}, or -1 when no language has this n-gram. */
  int find(int key) {
    int idx = key & mask;
    while (true) {
      long slot = slots[idx];
      if (slot == 0) {
        return -1;
      }
      if ((int) (slot >>> 32) == key) {
        return (int) slot;
      }
      idx = (idx + 1) & mask;
    }
  }

  int languageCount() {
    return codes.length;
  }

  float floor(int lang, int order) {
    return floors[lang * (MAX_ORDER + 1) + order];
  }
}
