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
 * <p>A record that cannot be parsed (truncated gzip member, wrong Content-Length) ends the file:
 * WARC has no record delimiter to resynchronise on, so the failure is quarantined with its byte
 * offset and the reason, and the records read before it are kept.
 */
final class WarcRecordReader {

  private final ReadLimits limits;
  private final String defaultSource;

  WarcRecordReader(ReadLimits limits, String defaultSource) {
    this.limits = limits;
    this.defaultSource = defaultSource;
  }

  void read(InputStream in, String file, RecordSink sink) throws IOException {
    long index = -1;
    try (WarcReader reader = new WarcReader(in)) {
      while (true) {
        // jwarc knows where the last good record started, not where the damage is: the
        // quarantined offset is that of the last good record (0 before the first).
        long lastGood = reader.position();
        Optional<WarcRecord> next;
        try {
          next = reader.next();
        } catch (IOException | RuntimeException e) {
          sink.quarantine(
              new Quarantined(
                  file,
                  lastGood,
                  index + 1,
                  "corrupt_warc",
                  "cannot parse WARC record "
                      + (index + 1)
                      + " (after the record at byte "
                      + lastGood
                      + "; the rest of the file is not read): "
                      + message(e),
                  ""));
          return;
        }
        if (next.isEmpty()) {
          return;
        }
        index++;
        long offset = reader.position();
        try {
          readRecord(next.get(), file, offset, index, sink);
        } catch (IOException | RuntimeException e) {
          sink.quarantine(
              new Quarantined(
                  file,
                  offset,
                  index,
                  "corrupt_warc",
                  "cannot read WARC record "
                      + next.get().id()
                      + " at byte "
                      + offset
                      + ": "
                      + message(e),
                  ""));
          return;
        }
      }
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
