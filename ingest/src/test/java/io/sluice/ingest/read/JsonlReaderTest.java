package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlReaderTest {

  private static CollectingSink read(byte[] bytes, ReadLimits limits) throws IOException {
    CollectingSink sink = new CollectingSink();
    new JsonlReader(limits, "test-src").read(new ByteArrayInputStream(bytes), "f.jsonl", sink);
    return sink;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void badLinesAreQuarantinedWithReasonAndTheRestIsRead() throws IOException {
    String input =
        String.join(
                "\n",
                "{\"id\": \"a\", \"text\": \"first\"}",
                "this is not json",
                "",
                "[1, 2]",
                "{\"id\": \"b\", \"title\": \"no text here\"}",
                "{\"id\": \"c\", \"text\": \"last\", \"lang\": \"de\", \"extra\": {\"n\": 1}}")
            + "\n";
    CollectingSink sink = read(utf8(input), ReadLimits.DEFAULT);
    assertEquals(List.of("a", "c"), sink.documents.stream().map(RawDocument::id).toList());
    assertEquals(List.of("invalid_json", "invalid_json", "missing_field"), sink.reasons());
    assertEquals(1, sink.quarantined.get(0).recordIndex());
    assertEquals(input.indexOf("this is not json"), sink.quarantined.get(0).offset());
    assertTrue(
        sink.quarantined.get(0).detail().contains("line 2 is not JSON"),
        sink.quarantined.get(0).detail());
    RawDocument c = sink.documents.get(1);
    assertEquals("de", c.langHint());
    assertEquals("{\"n\":1}", c.meta().get("extra"));
    assertEquals("test-src", c.source());
  }

  @Test
  void oversizedLineIsQuarantinedAndReadingContinues() throws IOException {
    String big = "{\"text\": \"" + "x".repeat(5000) + "\"}";
    CollectingSink sink = read(utf8(big + "\n{\"text\": \"after\"}\n"), new ReadLimits(1024));
    assertEquals(List.of("too_large"), sink.reasons());
    assertTrue(
        sink.quarantined.get(0).detail().contains(big.length() + " bytes"),
        sink.quarantined.get(0).detail());
    assertEquals(1, sink.documents.size());
    assertEquals("after", ((RawDocument.Text) sink.documents.get(0).content()).text());
  }

  @Test
  void invalidUtf8IsRepairedAndCountedOrQuarantinedWhenMostlyGarbage() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(utf8("{\"text\": \"caf"));
    b.write(0xE9); // Latin-1 é: invalid as UTF-8
    b.writeBytes(utf8("\"}\n"));
    b.writeBytes(utf8("{\"text\": \""));
    for (int i = 0; i < 200; i++) {
      b.write(0xFF);
    }
    b.writeBytes(utf8("\"}\n"));
    CollectingSink sink = read(b.toByteArray(), ReadLimits.DEFAULT);
    assertEquals(1, sink.documents.size());
    assertEquals("caf\uFFFD", ((RawDocument.Text) sink.documents.get(0).content()).text());
    assertEquals("1", sink.documents.get(0).meta().get("utf8_repaired"));
    assertEquals(List.of("invalid_utf8"), sink.reasons());
  }

  @Test
  void codeLayoutIsRecognisedAsCode() throws IOException {
    CollectingSink sink =
        read(
            utf8(
                "{\"id\":\"lua:lapi.c\",\"lang\":\"c\",\"path\":\"lapi.c\",\"license\":\"MIT\",\"text\":\"int"
                    + " x;\"}\n"
                    + "{\"url\":\"https://a.org/x.py\",\"path\":\"x.py\",\"text\":\"page\"}\n"),
            ReadLimits.DEFAULT);
    assertEquals("code", sink.documents.get(0).kind());
    assertEquals("MIT", sink.documents.get(0).license());
    assertEquals("web", sink.documents.get(1).kind());
  }

  @Test
  void zstdAndGzipAreDecompressedByName() throws IOException {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(z)) {
      out.write(utf8("{\"text\": \"zstd works\"}\n"));
    }
    try (InputStream in =
        io.sluice.core.storage.Compression.decompress(
            new ByteArrayInputStream(z.toByteArray()), "x.jsonl.zst")) {
      CollectingSink sink = new CollectingSink();
      new JsonlReader(ReadLimits.DEFAULT, "s").read(in, "x.jsonl.zst", sink);
      assertEquals("zstd works", ((RawDocument.Text) sink.documents.get(0).content()).text());
    }
  }
}
