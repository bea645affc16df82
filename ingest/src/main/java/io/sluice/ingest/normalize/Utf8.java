package io.sluice.ingest.normalize;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decodes bytes, replacing malformed sequences with U+FFFD and counting how many were replaced. */
public final class Utf8 {

  /** The decoded text and the number of malformed byte sequences that were replaced. */
  public record Decoded(String text, int replaced) {}

  private Utf8() {}

  public static Decoded decode(byte[] bytes, int offset, int length) {
    // Fast path: the JDK's own decoder (intrinsified, ASCII fast path) replaces malformed input
    // with U+FFFD; no U+FFFD in the result means nothing was replaced. Only text that contains one
    // (malformed, or a real U+FFFD) pays for the counting decoder.
    String fast = new String(bytes, offset, length, StandardCharsets.UTF_8);
    if (fast.indexOf('\uFFFD') < 0) {
      return new Decoded(fast, 0);
    }
    return decode(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /** Decodes with {@code charset}, replacing (and counting) malformed or unmappable input. */
  public static Decoded decode(byte[] bytes, int offset, int length, Charset charset) {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out =
        CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) length * 2 + 16));
    int replaced = 0;
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      if (r.isError()) {
        replaced++;
        out.put('\uFFFD');
        in.position(in.position() + r.length());
      } else if (r.isOverflow()) {
        throw new IllegalStateException("output buffer sized for the worst case overflowed");
      }
    }
    decoder.flush(out);
    out.flip();
    return new Decoded(out.toString(), replaced);
  }

  /** Strict decoding: throws naming the byte offset of the first malformed sequence. */
  public static String decodeStrict(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
