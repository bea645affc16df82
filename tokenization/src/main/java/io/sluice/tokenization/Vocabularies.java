package io.sluice.tokenization;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Checks and digests shared by the vocabulary loaders. Stateless. */
final class Vocabularies {
  private Vocabularies() {}

  /**
   * The id of each single byte. Byte-level BPE needs all 256 as tokens; without them a piece could
   * not be encoded at all.
   *
   * @throws IllegalArgumentException naming the resource and the missing byte
   */
  static int[] byteIds(BytesIdMap vocab, String resource) {
    int[] ids = new int[256];
    byte[] one = new byte[1];
    for (int b = 0; b < 256; b++) {
      one[0] = (byte) b;
      ids[b] = vocab.get(one, 0, 1);
      if (ids[b] < 0) {
        throw new IllegalArgumentException(
            String.format(
                "not a byte-level vocabulary: no token for byte 0x%02x (%s) (resource=%s)",
                b, ByteLevel.charOf(b), resource));
      }
    }
    return ids;
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
