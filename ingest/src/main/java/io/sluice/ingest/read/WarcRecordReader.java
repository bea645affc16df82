package io.sluice.ingest.read;

import io.sluice.core.doc.Document;
import io.sluice.core.doc.Quarantined;
import io.sluice.ingest.normalize.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * Reads WARC and WET files (WARC 1.0 and 1.1, plain or gzip with one or many members) with jwarc.
 * HTML responses and resources become HTML documents (charset from the HTTP header, else the page
 * decides); WET conversion records become text documents. Requests, metadata, warcinfo, non-HTML
 * payloads and non-2xx responses are counted as skipped.
 *
 * <p>A record that cannot be parsed (truncated gzip member, wrong Content-Length) is quarantined
 * with the byte range skipped, and reading resumes at the next record that parses: Common Crawl
 * files hold one gzip member per record, so one damaged record does not cost the rest of the file.
 */
final class WarcRecordReader {

  private final ReadLimits limits;
  private final String defaultSource;

  WarcRecordReader(ReadLimits limits, String defaultSource) {
    this.limits = limits;
    this.defaultSource = defaultSource;
  }

  /** Opens the file at a byte offset: how reading resumes after damage. */
  @FunctionalInterface
  interface Opener {
    InputStream open(long offset) throws IOException;
  }

  /** Where a segment of reading stopped on damage. */
  private record Damage(long lastGood, long nextIndex, String message) {}

  /**
   * Reads every record of the file. After a record that cannot be parsed, reading resumes at the
   * next offset after the last good record where a WARC record (gzip member or plain header)
   * parses, and the damaged byte range is quarantined; only when there is none does the rest of
   * the file go unread.
   */
  void read(Opener opener, String file, RecordSink sink) throws IOException {
    long start = 0;
    long index = -1;
    while (true) {
      Damage d = readSegment(opener, start, index, file, sink);
      if (d == null) {
        return;
      }
      long resume = nextRecordStart(opener, d.lastGood() + 1);
      sink.quarantine(
          new Quarantined(
              file,
              d.lastGood(),
              d.nextIndex(),
              "corrupt_warc",
              "cannot parse the WARC record after the one at byte "
                  + d.lastGood()
                  + " ("
                  + d.message()
                  + "); "
                  + (resume < 0
                      ? "no later record parses, the rest of the file is not read"
                      : "bytes " + d.lastGood() + ".." + resume + " skipped, reading resumed at " + resume),
              ""));
      if (resume < 0) {
        return;
      }
      start = resume;
      index = d.nextIndex() - 1;
    }
  }

  /** Reads from {@code start} until the end (null) or until damage (what and where). */
  private Damage readSegment(Opener opener, long start, long index, String file, RecordSink sink)
      throws IOException {
    try (WarcReader reader = new WarcReader(opener.open(start))) {
      while (true) {
        // jwarc knows where the last record it returned started, not where the damage is.
        long lastGood = start + reader.position();
        Optional<WarcRecord> next;
        try {
          next = reader.next();
        } catch (IOException | RuntimeException e) {
          return new Damage(lastGood, index + 1, message(e));
        }
        if (next.isEmpty()) {
          return null;
        }
        index++;
        long offset = start + reader.position();
        try {
          readRecord(next.get(), file, offset, index, sink);
        } catch (IOException | RuntimeException e) {
          return new Damage(offset, index + 1, "record " + next.get().id() + ": " + message(e));
        }
      }
    }
  }

  /**
   * The first offset at or after {@code from} where a WARC record parses, or -1. Candidates are
   * gzip member headers ({@code 1f 8b 08}) and plain {@code WARC/} headers; each is confirmed by
   * parsing a record there.
   */
  private static long nextRecordStart(Opener opener, long from) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(opener.open(from), 1 << 16)) {
      byte[] window = new byte[5];
      int filled = 0;
      long pos = from;
      int b;
      while ((b = in.read()) >= 0) {
        if (filled < 5) {
          window[filled++] = (byte) b;
        } else {
          System.arraycopy(window, 1, window, 0, 4);
          window[4] = (byte) b;
          pos++;
        }
        if (filled == 5 && isCandidate(window) && parsesAt(opener, pos)) {
          return pos;
        }
      }
      return -1;
    }
  }

  private static boolean isCandidate(byte[] w) {
    boolean gzip = (w[0] & 0xff) == 0x1f && (w[1] & 0xff) == 0x8b && w[2] == 8;
    boolean plain = w[0] == 'W' && w[1] == 'A' && w[2] == 'R' && w[3] == 'C' && w[4] == '/';
    return gzip || plain;
  }

  private static boolean parsesAt(Opener opener, long offset) {
    try (WarcReader reader = new WarcReader(opener.open(offset))) {
      return reader.next().isPresent();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void readRecord(WarcRecord record, String file, long offset, long index, RecordSink sink)
      throws IOException {
    if (record instanceof WarcResponse response) {
      MediaType type = response.contentType().base();
      if (!type.equals(MediaType.HTTP_RESPONSE) && !type.equals(MediaType.HTTP)) {
        sink.skipped("warc_response_not_http");
        return;
      }
      HttpResponse http = response.http();
      if (http.status() < 200 || http.status() >= 300) {
        sink.skipped("http_status_" + (http.status() / 100) + "xx");
        return;
      }
      MediaType payload = http.contentType();
      if (!isHtml(payload)) {
        sink.skipped("non_html_payload");
        return;
      }
      byte[] body = readBounded(http.bodyDecoded().stream(), file, offset, index, sink);
      if (body != null) {
        String charset = payload.parameters().get("charset");
        sink.document(raw(response, file, offset, index, new RawDocument.HtmlBytes(body, charset)));
      }
    } else if (record instanceof WarcConversion conversion) {
      byte[] body = readBounded(conversion.body().stream(), file, offset, index, sink);
      if (body != null) {
        Utf8.Decoded text = Utf8.decode(body, 0, body.length);
        RawDocument doc = raw(conversion, file, offset, index, new RawDocument.Text(text.text()));
        if (text.replaced() > 0) {
          doc.meta().put("utf8_repaired", Integer.toString(text.replaced()));
        }
        sink.document(doc);
      }
    } else if (record instanceof WarcResource resource && isHtml(resource.contentType())) {
      byte[] body = readBounded(resource.body().stream(), file, offset, index, sink);
      if (body != null) {
        String charset = resource.contentType().parameters().get("charset");
        sink.document(raw(resource, file, offset, index, new RawDocument.HtmlBytes(body, charset)));
      }
    } else {
      sink.skipped("warc_" + record.type());
    }
  }

  private static boolean isHtml(MediaType type) {
    String sub = type.subtype().toLowerCase(Locale.ROOT);
    return type.type().equalsIgnoreCase("text") && sub.equals("html") || sub.equals("xhtml+xml");
  }

  private RawDocument raw(
      WarcTargetRecord record, String file, long offset, long index, RawDocument.Content content) {
    Map<String, String> meta = new java.util.LinkedHashMap<>();
    meta.put("warc_record_id", record.id().toString());
    return new RawDocument(
        file,
        offset,
        index,
        record.id().toString(),
        Document.KIND_WEB,
        defaultSource,
        stripAngles(record.target()),
        null,
        null,
        null,
        record.date(),
        meta,
        content);
  }

  /**
   * WARC 1.1 writes target URIs bare; some writers (and 1.0 drafts) wrap them in angle brackets.
   */
  static String stripAngles(String uri) {
    if (uri != null && uri.length() >= 2 && uri.startsWith("<") && uri.endsWith(">")) {
      return uri.substring(1, uri.length() - 1);
    }
    return uri;
  }

  private byte[] readBounded(
      InputStream body, String file, long offset, long index, RecordSink sink) throws IOException {
    byte[] bytes = body.readNBytes((int) limits.maxRecordBytes() + 1);
    if (bytes.length > limits.maxRecordBytes()) {
      Utf8.Decoded sample = Utf8.decode(bytes, 0, Quarantined.SAMPLE_CHARS);
      sink.quarantine(
          new Quarantined(
              file,
              offset,
              index,
              "too_large",
              "record body exceeds the limit of " + limits.maxRecordBytes() + " bytes",
              sample.text()));
      return null;
    }
    return bytes;
  }

  private static String message(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
