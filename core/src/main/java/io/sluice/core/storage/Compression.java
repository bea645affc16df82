package io.sluice.core.storage;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Transparent decompression by file name: {@code .gz} (all members of a multi-member file) and
 * {@code .zst}.
 */
public final class Compression {

  private Compression() {}

  /** Wraps {@code in} in the decompressor its {@code name} calls for, or returns it as it is. */
  public static InputStream decompress(InputStream in, String name) throws IOException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      return new GZIPInputStream(in, 1 << 16);
    }
    if (lower.endsWith(".zst")) {
      return new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
    }
    return in;
  }
}
