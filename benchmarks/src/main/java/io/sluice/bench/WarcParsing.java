package io.sluice.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;

/**
 * Phase "parse": WARC bytes as stored (gzip, one member per record) to records with their bodies
 * read, with jwarc's {@link WarcReader} (which Sluice's WARC reader wraps; the HTTP parsing and
 * charset handling it adds are in the end-to-end row), over every {@code web/warc/*.warc.gz} held
 * in memory. The files are small, so one pass reads the set as many times as it takes to reach
 * {@link #PASS_BYTES}. Anchor: inflating the same bytes with the JDK's {@link GZIPInputStream}, the
 * floor any gzip WARC reader pays.
 */
final class WarcParsing {

  /** Stored bytes one pass reads, at least. */
  static final long PASS_BYTES = 32L << 20;

  private final List<byte[]> files = new ArrayList<>();
  private final long storedBytes;
  private final long inflatedBytes;
  private final int repeats;

  WarcParsing(List<Path> warcFiles) throws IOException {
    long total = 0;
    long inflated = 0;
    for (Path p : warcFiles) {
      byte[] bytes = Files.readAllBytes(p);
      files.add(bytes);
      total += bytes.length;
      inflated += SharedData.gunzippedSize(p);
    }
    storedBytes = total;
    inflatedBytes = inflated;
    repeats = (int) Math.max(1, (PASS_BYTES + total - 1) / total);
  }

  /** Size of the WARC files after decompression. */
  long inflatedBytes() {
    return inflatedBytes;
  }

  List<Workload> workloads() {
    String notes =
        String.format(
            "MB of gzip WARC as stored; %d files (%.2f MB, %.2f MB inflated) read %d times per"
                + " pass",
            files.size(), storedBytes / 1e6, inflatedBytes / 1e6, repeats);
    return List.of(
        new Workload(
            "parse",
            "jwarc WarcReader, bodies read",
            storedBytes * repeats,
            1,
            notes,
            this::jwarcPass),
        new Workload(
            "parse",
            "gzip inflate only (anchor)",
            storedBytes * repeats,
            1,
            "JDK GZIPInputStream over the same bytes; records/s n/a",
            this::inflatePass));
  }

  private long jwarcPass() throws IOException {
    long records = 0;
    long bodyBytes = 0;
    for (int r = 0; r < repeats; r++) {
      for (byte[] file : files) {
        try (WarcReader reader = new WarcReader(new ByteArrayInputStream(file))) {
          for (WarcRecord record : reader) {
            bodyBytes += record.body().stream().transferTo(OutputStream.nullOutputStream());
            records++;
          }
        }
      }
    }
    Passes.consume(bodyBytes);
    return records;
  }

  private long inflatePass() throws IOException {
    long inflated = 0;
    for (int r = 0; r < repeats; r++) {
      for (byte[] file : files) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file), 1 << 16)) {
          inflated += in.transferTo(OutputStream.nullOutputStream());
        }
      }
    }
    Passes.consume(inflated);
    return -1;
  }
}
