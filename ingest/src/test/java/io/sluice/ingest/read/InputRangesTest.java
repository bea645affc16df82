package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A big plain JSONL file cut into byte ranges reads every line exactly once, whatever the cut points. */
class InputRangesTest {

  @TempDir Path dir;

  @Test
  void rangesTogetherReadEveryLineOnce() throws IOException {
    Random rnd = new Random(11);
    StringBuilder sb = new StringBuilder();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String id = "doc-" + i;
      ids.add(id);
      sb.append("{\"id\":\"").append(id).append("\",\"text\":\"").append("w".repeat(1 + rnd.nextInt(300)))
          .append("\"}\n");
      if (i == 700) {
        sb.append("not json\n");
      }
    }
    Path f = dir.resolve("big.jsonl");
    Files.writeString(f, sb.toString());
    for (long split : new long[] {1000, 4096, 77_777, 1 << 20}) {
      InputLister.Listing listing = InputLister.list(List.of(f.toString()), null, null, new Configuration(), split);
      assertEquals(Math.max(1, (Files.size(f) + split - 1) / split), listing.files().size(), "ranges for split " + split);
      assertEquals(Files.size(f), listing.totalBytes());
      assertEquals(1, listing.fileCount());
      CollectingSink sink = new CollectingSink();
      InputFileReader reader = new InputFileReader(ReadLimits.DEFAULT);
      for (InputFile part : listing.files()) {
        reader.read(part, new Configuration(), sink);
      }
      assertEquals(ids, sink.documents.stream().map(RawDocument::id).sorted(
          java.util.Comparator.comparingInt(s -> Integer.parseInt(s.substring(4)))).toList(), "split " + split);
      assertEquals(List.of("invalid_json"), sink.reasons(), "split " + split);
      long offset = sb.indexOf("not json");
      assertEquals(offset, sink.quarantined.get(0).offset(), "absolute offset, split " + split);
      assertTrue(sink.quarantined.get(0).detail().contains(split >= Files.size(f) ? "line 702" : "is not JSON"),
          sink.quarantined.get(0).detail());
    }
  }
}
