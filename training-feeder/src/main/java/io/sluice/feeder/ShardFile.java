package io.sluice.feeder;

import io.sluice.core.storage.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A token shard memory-mapped for random access: where each document's tokens start in the file,
 * how many there are, and its quality bucket.
 *
 * <p>Arrow IPC files (uncompressed) keep every buffer at a fixed offset, so a document's tokens are
 * read straight from the mapping: opening a shard reads only its footer and each record batch's
 * list offsets, never the token data, and the page cache is the token cache. Invariant: {@code
 * tokenOffsets[d] + 4·lengths[d]} lies inside the mapping for every document d.
 */
final class ShardFile {
  private static final int NULL_BUCKET = -1;

  final ShardInfo info;
  private final ByteBuffer data;
  final long[] tokenOffsets;
  final int[] lengths;
  final int[] buckets;

  private ShardFile(ShardInfo info, ByteBuffer data, long[] offsets, int[] lengths, int[] buckets) {
    this.info = info;
    this.data = data;
    this.tokenOffsets = offsets;
    this.lengths = lengths;
    this.buckets = buckets;
  }

  int documents() {
    return lengths.length;
  }

  /**
   * Copies {@code count} tokens of document {@code doc}, from token {@code from} on, into {@code
   * dst} at byte {@code dstIndex}.
   */
  void copyTokens(int doc, int from, int count, ByteBuffer dst, int dstIndex) {
    dst.put(dstIndex, data, (int) (tokenOffsets[doc] + 4L * from), 4 * count);
  }

  /** Token {@code i} of document {@code doc}. */
  int token(int doc, int i) {
    return data.getInt((int) (tokenOffsets[doc] + 4L * i));
  }

  /** Checks the file against the sidecar's SHA-256; a mismatch names the shard and both sums. */
  void verify() throws IOException {
    MessageDigest sha = Sha256.digest();
    sha.update(data.duplicate().clear());
    String actual = Sha256.hex(sha);
    if (!actual.equals(info.sha256())) {
      throw new IOException(
          "shard "
              + info.path()
              + " is corrupt: sha256 is "
              + actual
              + " but its sidecar says "
              + info.sha256());
    }
  }

  /** Maps {@code file} (a local copy of {@code info}) and reads its document offsets. */
  static ShardFile open(ShardInfo info, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        BufferAllocator allocator = new RootAllocator()) {
      long size = ch.size();
      if (size != info.bytes()) {
        throw new IOException(
            "shard "
                + info.path()
                + " has "
                + size
                + " bytes but its sidecar says "
                + info.bytes());
      }
      if (size > Integer.MAX_VALUE) {
        throw new IOException(
            "shard " + info.path() + " is over 2 GiB; re-tokenize smaller shards");
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.LITTLE_ENDIAN);
      try (ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
        List<Field> fields = reader.getVectorSchemaRoot().getSchema().getFields();
        Columns cols = Columns.locate(fields, info.path());
        int rows = Math.toIntExact(info.rows());
        long[] offsets = new long[rows];
        int[] lengths = new int[rows];
        int[] buckets = new int[rows];
        int doc = 0;
        for (ArrowBlock block : reader.getRecordBlocks()) {
          ch.position(block.getOffset());
          MessageMetadataResult meta = MessageSerializer.readMessage(new ReadChannel(ch));
          Message message = meta.getMessage();
          if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IOException("shard " + info.path() + ": block is not a record batch");
          }
          RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
          if (batch.compression() != null) {
            throw new IOException("shard " + info.path() + " is compressed; the feeder maps raw");
          }
          long body = block.getOffset() + block.getMetadataLength();
          int n = Math.toIntExact(batch.length());
          if (doc + n > rows) {
            throw new IOException(
                "shard " + info.path() + " holds more rows than its sidecar's " + rows);
          }
          long listOffsets = body + buffer(batch, cols.tokenOffsets).offset();
          long values = body + buffer(batch, cols.tokenValues).offset();
          FieldNode bucketNode = batch.nodes(cols.bucketNode);
          Buffer validity = buffer(batch, cols.bucketValidity);
          long bucketData = body + buffer(batch, cols.bucketValues).offset();
          for (int r = 0; r < n; r++, doc++) {
            int start = map.getInt((int) (listOffsets + 4L * r));
            int end = map.getInt((int) (listOffsets + 4L * (r + 1)));
            offsets[doc] = values + 4L * start;
            lengths[doc] = end - start;
            boolean isNull =
                bucketNode.nullCount() > 0
                    && validity.length() > 0
                    && (map.get((int) (body + validity.offset() + (r >> 3))) & (1 << (r & 7))) == 0;
            buckets[doc] = isNull ? NULL_BUCKET : map.getInt((int) (bucketData + 4L * r));
          }
        }
        if (doc != rows) {
          throw new IOException(
              "shard " + info.path() + " holds " + doc + " rows but its sidecar says " + rows);
        }
        return new ShardFile(info, map, offsets, lengths, buckets);
      }
    } catch (IOException | RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("shard ")) {
        throw e;
      }
      throw new IOException("shard " + info.path() + " is not a readable token shard: " + e, e);
    }
  }

  private static Buffer buffer(RecordBatch batch, int index) {
    return batch.buffers(index);
  }

  /**
   * Indexes of the buffers and field nodes the feeder reads, found by walking the schema the way
   * the IPC format lays buffers out (fields depth-first, each with its type's buffer count).
   */
  private record Columns(
      int tokenOffsets, int tokenValues, int bucketNode, int bucketValidity, int bucketValues) {

    static Columns locate(List<Field> fields, String shard) throws IOException {
      int[] next = {0, 0}; // buffer index, node index
      int[] found = {-1, -1, -1, -1};
      for (Field f : fields) {
        walk(f, next, found);
      }
      if (found[0] < 0 || found[2] < 0) {
        throw new IOException(
            "shard " + shard + " lacks a tokens: list<int32> or quality_bucket: int32 column");
      }
      return new Columns(found[0] + 1, found[1] + 1, found[3], found[2], found[2] + 1);
    }

    private static void walk(Field f, int[] next, int[] found) {
      int first = next[0];
      int node = next[1];
      next[0] += TypeLayout.getTypeBufferCount(f.getType());
      next[1]++;
      if (f.getName().equals("tokens")) {
        found[0] = first;
        found[1] = next[0]; // the single child's first buffer follows the list's own
      } else if (f.getName().equals("quality_bucket")) {
        found[2] = first;
        found[3] = node;
      }
      for (Field child : f.getChildren()) {
        walk(child, next, found);
      }
    }
  }
}
