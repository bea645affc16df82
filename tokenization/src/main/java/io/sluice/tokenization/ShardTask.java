package io.sluice.tokenization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;

/** Writes one partition's tokenized documents as shards into the stage's temporary directory. */
final class ShardTask implements ForeachPartitionFunction<Row> {

  private static final long serialVersionUID = 1L;

  private final String dir;
  private final String tokenizer;
  private final long shardTokens;

  ShardTask(String dir, String tokenizer, long shardTokens) {
    this.dir = dir;
    this.tokenizer = tokenizer;
    this.shardTokens = shardTokens;
  }

  @Override
  public void call(Iterator<Row> rows) throws IOException {
    if (!rows.hasNext()) {
      return;
    }
    Path out = new Path(dir);
    Configuration conf = new Configuration();
    int partition = TaskContext.getPartitionId();
    try (BufferAllocator allocator = new RootAllocator(Long.MAX_VALUE);
        ShardWriter writer =
            new ShardWriter(
                out.getFileSystem(conf),
                out,
                partition,
                shardTokens,
                Tokenizers.byNameOrPath(tokenizer),
                allocator)) {
      while (rows.hasNext()) {
        Row r = rows.next();
        List<Integer> tokens = r.getList(5);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = tokens.get(i);
        }
        writer.add(
            r.getString(0),
            ids,
            r.getString(1),
            r.getString(2),
            r.isNullAt(3) ? null : r.getInt(3),
            r.getLong(4));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
