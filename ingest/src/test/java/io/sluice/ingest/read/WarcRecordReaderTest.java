package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.core.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class WarcRecordReaderTest {

  private static CollectingSink read(byte[] bytes) throws IOException {
    CollectingSink sink = new CollectingSink();
    new WarcRecordReader(ReadLimits.DEFAULT, "cc")
        .read(offset -> new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset), "x.warc.gz", sink);
    return sink;
  }

  private static CollectingSink read(java.nio.file.Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  /** One gzip member holding one WARC response record; {@code declaredLength} may lie. */
  static byte[] responseRecord(String uri, String html, int lengthDelta) throws IOException {
    byte[] http =
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html)
            .getBytes(StandardCharsets.UTF_8);
    String header =
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:"
            + java.util.UUID.nameUUIDFromBytes(uri.getBytes())
            + ">\r\n"
            + "WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: "
            + uri
            + "\r\n"
            + "Content-Type: application/http;msgtype=response\r\nContent-Length: "
            + (http.length + lengthDelta)
            + "\r\n\r\n";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(header.getBytes(StandardCharsets.US_ASCII));
      gz.write(http);
      gz.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void readsRealCommonCrawlWarc() throws IOException {
    byte[] warc =
        Files.readAllBytes(
            SharedData.file("web/warc/CC-MAIN-2020-34-sample.resiliparse-tests.warc.gz"));
    CollectingSink sink = read(warc);
    assertTrue(sink.documents.size() >= 10, "html responses: " + sink.documents.size());
    assertEquals(List.of(), sink.quarantined);
    assertEquals(17, sink.skipped.get("warc_request"));
    assertTrue(sink.documents.stream().allMatch(d -> d.url().startsWith("http")));
    assertTrue(sink.documents.stream().allMatch(d -> d.content() instanceof RawDocument.HtmlBytes));
  }

  @Test
  void readsWarc11TargetsInAngleBracketsAndWet() throws IOException {
    CollectingSink dolma =
        read(SharedData.file("web/warc/dolma-tests-sample-0000.warc.gz"));
    assertTrue(dolma.documents.size() > 0);
    assertTrue(
        dolma.documents.stream().noneMatch(d -> d.url().startsWith("<")),
        "angle brackets stripped");

    CollectingSink wet =
        read(SharedData.file("web/warc/CC-MAIN-2024-22-whirlwind.warc.wet.gz"));
    assertEquals(1, wet.documents.size());
    assertTrue(wet.documents.get(0).content() instanceof RawDocument.Text);
  }

  @Test
  void truncatedGzipMemberKeepsEarlierRecordsAndQuarantinesTheRest() throws IOException {
    byte[] first = responseRecord("https://a.example/1", "<p>first page</p>", 0);
    byte[] second = responseRecord("https://a.example/2", "<p>second page</p>".repeat(50), 0);
    byte[] cut = Arrays.copyOf(second, second.length / 2);
    CollectingSink sink = read(concat(first, cut));
    assertEquals(1, sink.documents.size());
    assertEquals("https://a.example/1", sink.documents.get(0).url());
    assertEquals(List.of("corrupt_warc"), sink.reasons());
    assertEquals(1, sink.quarantined.get(0).recordIndex());
    assertTrue(
        sink.quarantined.get(0).detail().contains("after the one at byte 0")
            && sink.quarantined.get(0).detail().contains("the rest of the file is not read"),
        sink.quarantined.get(0).detail());
  }

  @Test
  void wrongContentLengthIsQuarantinedAndReadingResumesAtTheNextRecord() throws IOException {
    byte[] good = responseRecord("https://a.example/1", "<p>good</p>", 0);
    byte[] bad = responseRecord("https://a.example/2", "<p>bad length</p>", -7);
    byte[] after = responseRecord("https://a.example/3", "<p>after</p>", 0);
    byte[] last = responseRecord("https://a.example/4", "<p>last</p>", 0);
    CollectingSink sink = read(concat(good, bad, after, last));
    List<String> urls = sink.documents.stream().map(RawDocument::url).toList();
    assertTrue(urls.contains("https://a.example/1") && urls.contains("https://a.example/3")
        && urls.contains("https://a.example/4"), urls.toString());
    assertEquals(urls.size(), new java.util.HashSet<>(urls).size(), "no record read twice: " + urls);
    assertEquals(List.of("corrupt_warc"), sink.reasons());
    String detail = sink.quarantined.get(0).detail();
    assertTrue(detail.contains("reading resumed at " + (good.length + bad.length)), detail);
  }

  @Test
  void emptyInputHasNoRecords() throws IOException {
    CollectingSink sink = read(new byte[0]);
    assertEquals(0, sink.documents.size());
    assertEquals(0, sink.quarantined.size());
  }
}
