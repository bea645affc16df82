package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Damaged gzip JSONL as it comes from real storage: a member whose data or checksum is damaged in
 * the middle of a file, a member too large to hold, a truncated file, a file that is not gzip.
 */
class GzipRecordsTest {

  /** Three members of 40 JSONL documents each, ids m{member}-{n}, with varied (hard to compress) text. */
  private static List<byte[]> members() throws IOException {
    return members(40);
  }

  private static List<byte[]> members(int perMember) throws IOException {
    Random r = new Random(11);
    List<byte[]> out = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      StringBuilder b = new StringBuilder();
      for (int n = 0; n < perMember; n++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 120; w++) {
          text.append(Integer.toString(r.nextInt(1 << 20), 36)).append(' ');
        }
        b.append("{\"id\": \"m").append(m).append('-').append(n).append("\", \"text\": \"")
            .append(text.toString().strip()).append("\"}\n");
      }
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
        gz.write(b.toString().getBytes(StandardCharsets.UTF_8));
      }
      out.add(z.toByteArray());
    }
    return out;
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    parts.forEach(b::writeBytes);
    return b.toByteArray();
  }

  private static CollectingSink read(byte[] file, long maxHeld) throws IOException {
    CollectingSink sink = new CollectingSink();
    GzipRecords.read(
        () -> new ByteArrayInputStream(file),
        "pages.jsonl.gz",
        sink,
        (in, s) -> new JsonlReader(ReadLimits.DEFAULT, "test").read(in, "pages.jsonl.gz", s),
        maxHeld);
    return sink;
  }

  private static List<String> ids(CollectingSink sink) {
    return sink.documents.stream().map(RawDocument::id).toList();
  }

  @Test
  void aMemberWhoseChecksumFailsGivesNoDocumentAndItsRecordsAreQuarantined() throws Exception {
    // 500 documents a member: more than the line reader takes in one read, so some of the damaged
    // member's records are decoded before its trailer is reached
    List<byte[]> m = members(500);
    byte[] bad = m.get(1).clone();
    bad[bad.length - 6] ^= 0x5a; // the CRC-32 in its trailer: the data decodes, the check fails
    for (long maxHeld : new long[] {GzipRecords.MAX_HELD_CHARS, 2_000}) {
      CollectingSink sink = read(concat(List.of(m.get(0), bad, m.get(2))), maxHeld);
      assertEquals(500, sink.documents.size(), "member 0 kept, nothing of member 1 or after");
      assertTrue(ids(sink).stream().allMatch(id -> id.startsWith("m0-")), ids(sink).toString());
      long perRecord =
          sink.quarantined.stream()
              .filter(q -> q.reason().equals("corrupt_input") && q.recordIndex() >= 500)
              .count();
      assertTrue(perRecord > 100, "the records decoded from it are quarantined: " + perRecord);
      assertTrue(
          sink.quarantined.stream()
              .anyMatch(
                  q ->
                      q.recordIndex() == -1
                          && q.detail()
                              .contains(
                                  "gzip member 1 fails its check (Gzip-compressed data is"
                                      + " corrupt (CRC32 error).)")),
          sink.quarantined.toString());
    }
  }

  @Test
  void damageInsideTheDeflateDataLetsNoGarbageThrough() throws Exception {
    List<byte[]> m = members();
    for (int at : new int[] {200, 700, 1500, 3000}) {
      byte[] bad = m.get(1).clone();
      bad[at] ^= 0x10;
      CollectingSink sink = read(concat(List.of(m.get(0), bad, m.get(2))), GzipRecords.MAX_HELD_CHARS);
      assertEquals(40, sink.documents.size(), "byte " + at + ": " + ids(sink));
      assertTrue(ids(sink).stream().allMatch(id -> id.startsWith("m0-")), ids(sink).toString());
      assertTrue(sink.reasons().contains("corrupt_input"), sink.reasons().toString());
    }
  }

  @Test
  void aMemberLargerThanTheHoldIsCheckedAheadAndPassesWhole() throws Exception {
    List<byte[]> m = members();
    CollectingSink sink = read(concat(m), 2_000);
    assertEquals(120, sink.documents.size());
    assertEquals(List.of(), sink.quarantined);
    for (int i = 1; i < sink.documents.size(); i++) {
      assertTrue(sink.documents.get(i - 1).offset() < sink.documents.get(i).offset(), "in order");
    }
  }

  @Test
  void aTruncatedFileKeepsTheRecordsBeforeTheCut() throws Exception {
    byte[] whole = concat(members());
    CollectingSink sink = read(Arrays.copyOf(whole, whole.length - 3000), GzipRecords.MAX_HELD_CHARS);
    assertTrue(sink.documents.size() >= 80 && sink.documents.size() < 120, ids(sink).toString());
    assertEquals(List.of("truncated_input"), sink.reasons());
  }

  @Test
  void aFileThatIsNotGzipIsCorruptNotTruncated() throws Exception {
    CollectingSink sink =
        read("{\"id\": 1, \"text\": \"plain\"}\n".getBytes(StandardCharsets.UTF_8), 1000);
    assertEquals(List.of("corrupt_input"), sink.reasons());
    assertTrue(sink.quarantined.get(0).detail().contains("not a gzip file (first bytes 7b 22"));
    assertEquals(0, sink.documents.size());
  }
}
