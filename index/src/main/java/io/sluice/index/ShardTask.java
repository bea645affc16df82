package io.sluice.index;

import io.sluice.core.stage.HadoopPaths;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Builds one shard from one Spark partition of passage rows: the Lucene BM25 index ({@code bm25/}),
 * and when dense is on, the document-tower embeddings in a FAISS index ({@code dense.faiss}), both
 * keyed by the passage ordinal within the shard. The shard is built in a local temporary directory,
 * then copied to {@code <output>/shard-NNNNN/} (any Hadoop file system: {@code file:}, {@code
 * s3a:}) together with {@code shard.json}: its counts and the size and sha256 of each of its other
 * files, computed here from the local copy so that the driver's manifest needs no second read of
 * the shard from the object store.
 */
final class ShardTask implements ForeachPartitionFunction<Row>, Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * Passages per encoding call, sorted by length inside it so model batches ({@link
   * IndexJob.Options#batchSize()}) pad little, and counted as done when it returns: the progress
   * line moves every chunk (about 10 s with MiniLM, a minute with bge-small on 2 cores).
   */
  private static final int CHUNK = 256;

  private final String output;
  private final IndexJob.Options options;
  private final Map<Integer, Long> passagesPerPartition;
  private final LongAccumulator passagesDone;
  private final LongAccumulator bytesDone;
  private final LongAccumulator shardsDone;

  ShardTask(
      String output,
      IndexJob.Options options,
      Map<Integer, Long> passagesPerPartition,
      LongAccumulator passagesDone,
      LongAccumulator bytesDone,
      LongAccumulator shardsDone) {
    this.output = output;
    this.options = options;
    this.passagesPerPartition = passagesPerPartition;
    this.passagesDone = passagesDone;
    this.bytesDone = bytesDone;
    this.shardsDone = shardsDone;
  }

  static String shardName(int partition) {
    return String.format("shard-%05d", partition);
  }

  @Override
  public void call(Iterator<Row> rows) throws Exception {
    int partition = TaskContext.getPartitionId();
    long total = passagesPerPartition.getOrDefault(partition, 0L);
    if (total == 0) {
      return; // an empty hash partition: no shard
    }
    String name = shardName(partition);
    Path local = Files.createTempDirectory("sluice-" + name);
    try {
      long documents = 0;
      long truncated = 0;
      String faissType = null;
      DenseType dense = options.dense().resolve(total);
      try (Bm25ShardWriter bm25 =
              new Bm25ShardWriter(local.resolve("bm25"), options.k1(), options.b());
          DenseBuilder vectors =
              dense == DenseType.NONE ? null : new DenseBuilder(options, dense, total, name)) {
        List<String> pending = new ArrayList<>(CHUNK);
        long pendingBytes = 0;
        String lastDoc = null;
        while (rows.hasNext()) {
          Passage p = IndexJob.passage(rows.next());
          if (!p.docId().equals(lastDoc)) {
            documents++;
            lastDoc = p.docId();
          }
          bm25.add(p);
          if (vectors == null) {
            passagesDone.add(1);
            bytesDone.add(p.text().length());
            continue;
          }
          pending.add(p.contents());
          pendingBytes += p.text().length();
          if (pending.size() == CHUNK) {
            encode(vectors, pending, pendingBytes);
            pendingBytes = 0;
          }
        }
        if (vectors != null) {
          if (!pending.isEmpty()) {
            encode(vectors, pending, pendingBytes);
          }
          truncated = vectors.finish(local.resolve("dense.faiss"));
          faissType = vectors.factory();
          if (vectors.size() != bm25.count()) {
            throw new IllegalStateException(
                name + ": " + vectors.size() + " vectors vs " + bm25.count() + " passages");
          }
        }
        bm25.finish();
        List<Map<String, Object>> files = new ArrayList<>();
        for (IndexManifest.FileEntry e : IndexManifest.list(local)) {
          files.add(Map.of("path", e.path(), "bytes", e.bytes(), "sha256", e.sha256()));
        }
        Files.writeString(
            local.resolve("shard.json"),
            IndexJob.json(
                Map.of(
                    "name",
                    name,
                    "documents",
                    documents,
                    "passages",
                    bm25.count(),
                    "truncated",
                    truncated,
                    "faiss",
                    faissType == null ? "" : faissType,
                    "analyzers",
                    new ArrayList<>(bm25.analyzers()),
                    "files",
                    files)));
      }
      Configuration conf = new Configuration();
      options.storage().hadoopS3aOptions().forEach(conf::set);
      org.apache.hadoop.fs.Path target =
          new org.apache.hadoop.fs.Path(HadoopPaths.of(output), name);
      FileSystem fs = target.getFileSystem(conf);
      // A retried task finds its failed attempt's upload: start clean, or the copy would nest.
      fs.delete(target, true);
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
      shardsDone.add(1);
    } finally {
      deleteTree(local);
    }
  }

  /**
   * Embeds a chunk of passages and counts them as done: with a dense part, encoding is nearly all
   * of a shard's time, so progress (which sees these counters every heartbeat) follows it.
   */
  private void encode(DenseBuilder vectors, List<String> chunk, long textBytes) {
    vectors.add(chunk);
    passagesDone.add(chunk.size());
    bytesDone.add(textBytes);
    chunk.clear();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
