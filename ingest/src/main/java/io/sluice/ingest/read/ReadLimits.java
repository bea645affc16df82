package io.sluice.ingest.read;

import java.io.Serializable;

/**
 * Bounds that keep one bad record from taking a task down.
 *
 * @param maxRecordBytes a record (JSONL line, WARC body, source file) larger than this is
 *     quarantined as {@code too_large}, and only a sample of it is kept in memory
 */
public record ReadLimits(long maxRecordBytes) implements Serializable {

  public static final ReadLimits DEFAULT = new ReadLimits(64L << 20);

  public ReadLimits {
    if (maxRecordBytes < 1024 || maxRecordBytes > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be in [1 KiB, 2 GiB), got " + maxRecordBytes);
    }
  }
}
