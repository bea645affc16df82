package io.sluice.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BM25 shards are written with {@link PassageCodec} and give back every stored text unchanged. */
class PassageCodecTest {

  @TempDir Path dir;

  @Test
  void shardsRecordTheCodecAndStoredTextsRoundTrip() throws Exception {
    // Texts of 0 to 12 KiB, so some passages span several 4 KiB chunks and others share one.
    SplittableRandom random = new SplittableRandom(7);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder();
      int words = random.nextInt(2000);
      for (int w = 0; w < words; w++) {
        b.append(w % 17 == 0 ? "Grüße " : "w").append(random.nextInt(5000)).append(' ');
      }
      texts.add(b.toString());
    }
    Path shard = dir.resolve("bm25");
    try (Bm25ShardWriter w = new Bm25ShardWriter(shard, 0.9f, 0.4f)) {
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        w.add(
            new Passage(
                "d" + i, 0, 0, t.length(), null, t, "web", "en", "test", null, null));
      }
      w.finish();
    }
    try (FSDirectory d = FSDirectory.open(shard);
        DirectoryReader r = DirectoryReader.open(d)) {
      for (SegmentCommitInfo s : SegmentInfos.readLatestCommit(d)) {
        assertEquals(PassageCodec.NAME, s.info.getCodec().getName());
      }
      StoredFields stored = r.storedFields();
      // Out of order, so reads jump between chunks both ways.
      for (int i = texts.size() - 1; i >= 0; i -= 2) {
        assertEquals(texts.get(i), stored.document(i).get(Bm25ShardWriter.TEXT), "passage " + i);
      }
      for (int i = 0; i < texts.size(); i += 2) {
        assertEquals(texts.get(i), stored.document(i).get(Bm25ShardWriter.TEXT), "passage " + i);
      }
    }
  }
}
