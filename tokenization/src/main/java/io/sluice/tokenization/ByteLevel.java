package io.sluice.tokenization;

import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character alphabet, used by Hugging Face byte-level BPE vocabularies.
 *
 * <p>Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100.. in byte order,
 * so every vocabulary string is a sequence of such characters, one per byte. Stateless.
 */
final class ByteLevel {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    Arrays.fill(CHAR_TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
      char c = printable ? (char) b : (char) (256 + extra++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The byte-level string of a single byte, e.g. 0x20 to "Ġ". */
  static String charOf(int b) {
    return String.valueOf(BYTE_TO_CHAR[b & 0xff]);
  }

  /**
   * Decodes a vocabulary string to raw bytes.
   *
   * @return the bytes, or null when a character is outside the byte-level alphabet
   */
  static byte[] toBytes(String token) {
    byte[] out = new byte[token.length()];
    for (int i = 0; i < out.length; i++) {
      char c = token.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b < 0) {
        return null;
      }
      out[i] = (byte) b;
    }
    return out;
  }
}
