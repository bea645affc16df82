package io.sluice.ingest.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated lines as bytes, never holding more than a limit of one line in
 * memory: a longer line is reported as oversized with its first bytes kept as a sample. Tracks the
 * byte offset of each line. Not thread-safe.
 */
final class BoundedLineReader {

  private static final int SAMPLE_BYTES = 4096;

  private final InputStream in;
  private final int limit;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[1 << 12];
  private int lineLen;
  private long offset;
  private long lineOffset;
  private long lineBytes;
  private boolean oversized;

  BoundedLineReader(InputStream in, int limit) {
    this.in = in;
    this.limit = limit;
  }

  /** Advances to the next line; false at end of input. */
  boolean next() throws IOException {
    lineLen = 0;
    lineBytes = 0;
    oversized = false;
    lineOffset = offset;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          return any;
        }
      }
      any = true;
      int start = chunkPos;
      int end = start;
      while (end < chunkLen && chunk[end] != '\n') {
        end++;
      }
      append(start, end - start);
      boolean newline = end < chunkLen;
      chunkPos = newline ? end + 1 : end;
      offset += chunkPos - start;
      if (newline) {
        return true;
      }
    }
  }

  private void append(int from, int len) {
    lineBytes += len;
    int room = (oversized ? SAMPLE_BYTES : limit) - lineLen;
    if (len > room && !oversized && lineBytes > limit) {
      oversized = true;
      room = Math.max(0, SAMPLE_BYTES - lineLen);
    }
    int take = Math.min(len, Math.max(0, room));
    if (take > 0) {
      if (lineLen + take > line.length) {
        line = Arrays.copyOf(line, Math.max(lineLen + take, Math.min(limit, line.length * 2)));
      }
      System.arraycopy(chunk, from, line, lineLen, take);
      lineLen += take;
    }
    if (oversized && lineLen > SAMPLE_BYTES) {
      lineLen = SAMPLE_BYTES;
    }
  }

  /**
   * The current line's bytes (without the newline); valid up to {@link #length()}; only a sample
   * when oversized.
   */
  byte[] bytes() {
    return line;
  }

  int length() {
    int n = lineLen;
    if (!oversized && n > 0 && line[n - 1] == '\r') {
      n--;
    }
    return n;
  }

  /** Byte offset of the current line in the stream. */
  long lineOffset() {
    return lineOffset;
  }

  /** The whole length of the current line, even when only a sample was kept. */
  long lineBytes() {
    return lineBytes;
  }

  boolean oversized() {
    return oversized;
  }
}
