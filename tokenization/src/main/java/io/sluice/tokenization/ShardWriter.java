package io.sluice.tokenization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.storage.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.DigestOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes token shards as DESIGN.md §3 fixes them: Arrow IPC files {@code shard-PPPPP-SSSS.arrow} of
 * whole documents ({@code doc_id}, {@code tokens: list<int32>}, {@code lang}, {@code kind}, {@code
 * quality_bucket}), each next to a {@code .json} sidecar with rows, tokens, bytes and the file's
 * sha256, and the tokenizer's name and vocabulary sha256. A shard closes at {@code maxTokens}
 * tokens (a document is never split) and a record batch at {@link #BATCH_TOKENS}.
 *
 * <p>Names depend only on the partition and the shard's ordinal in it, so a retried task replaces
 * what a failed attempt wrote. Not thread-safe; one per task. Owns its vectors; close it.
 */
final class ShardWriter implements AutoCloseable {

  static final int BATCH_TOKENS = 1 << 20;
  static final Schema SCHEMA =
      new Schema(
          java.util.List.of(
              Field.notNullable("doc_id", ArrowType.Utf8.INSTANCE),
              new Field(
                  "tokens",
                  FieldType.notNullable(ArrowType.List.INSTANCE),
                  java.util.List.of(Field.notNullable("item", new ArrowType.Int(32, true)))),
              Field.nullable("lang", ArrowType.Utf8.INSTANCE),
              Field.nullable("kind", ArrowType.Utf8.INSTANCE),
              Field.nullable("quality_bucket", new ArrowType.Int(32, true))));

  private final FileSystem fs;
  private final Path dir;
  private final int partition;
  private final long maxTokens;
  private final String tokenizer;
  private final String vocabularySha256;
  private final VectorSchemaRoot root;

  private int shardOrdinal = -1;
  private Path shardPath;
  private DigestOutputStream digest;
  private OutputStream raw;
  private ArrowFileWriter writer;
  private long shardRows;
  private long shardTokens;
  private int batchRows;
  private long batchTokens;
  private long textBytes;

  ShardWriter(
      FileSystem fs,
      Path dir,
      int partition,
      long maxTokens,
      Tokenizer tok,
      BufferAllocator allocator) {
    this.fs = fs;
    this.dir = dir;
    this.partition = partition;
    this.maxTokens = maxTokens;
    this.tokenizer = tok.name();
    this.vocabularySha256 = tok.vocabularySha256();
    this.root = VectorSchemaRoot.create(SCHEMA, allocator);
  }

  /** Appends one document; opens or rotates shards as needed. */
  void add(String docId, int[] tokens, String lang, String kind, Integer bucket, long docTextBytes)
      throws IOException {
    if (writer == null || (shardTokens > 0 && shardTokens + tokens.length > maxTokens)) {
      rotate();
    }
    if (batchRows > 0 && batchTokens + tokens.length > BATCH_TOKENS) {
      flushBatch();
    }
    int i = batchRows;
    ((VarCharVector) root.getVector("doc_id"))
        .setSafe(i, docId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    UnionListWriter list = ((ListVector) root.getVector("tokens")).getWriter();
    list.setPosition(i);
    list.startList();
    for (int t : tokens) {
      list.writeInt(t);
    }
    list.endList();
    setString("lang", i, lang);
    setString("kind", i, kind);
    IntVector b = (IntVector) root.getVector("quality_bucket");
    if (bucket == null) {
      b.setNull(i);
    } else {
      b.setSafe(i, bucket);
    }
    batchRows++;
    batchTokens += tokens.length;
    shardRows++;
    shardTokens += tokens.length;
    textBytes += docTextBytes;
  }

  private void setString(String name, int i, String v) {
    VarCharVector vec = (VarCharVector) root.getVector(name);
    if (v == null) {
      vec.setNull(i);
    } else {
      vec.setSafe(i, v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private void flushBatch() throws IOException {
    if (batchRows == 0) {
      return;
    }
    root.setRowCount(batchRows);
    writer.writeBatch();
    root.clear();
    root.allocateNew();
    batchRows = 0;
    batchTokens = 0;
  }

  private void rotate() throws IOException {
    finishShard();
    shardOrdinal++;
    shardPath = new Path(dir, String.format("shard-%05d-%04d.arrow", partition, shardOrdinal));
    raw = fs.create(shardPath, true);
    digest = new DigestOutputStream(raw, Sha256.digest());
    writer = new ArrowFileWriter(root, null, Channels.newChannel(digest));
    writer.start();
    shardRows = 0;
    shardTokens = 0;
    textBytes = 0;
  }

  private void finishShard() throws IOException {
    if (writer == null) {
      return;
    }
    flushBatch();
    writer.end();
    writer.close();
    digest.close();
    long bytes = fs.getFileStatus(shardPath).getLen();
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("shard", shardPath.getName());
    side.put("rows", shardRows);
    side.put("tokens", shardTokens);
    side.put("bytes", bytes);
    side.put("text_bytes", textBytes);
    side.put("sha256", Sha256.hex(digest.getMessageDigest()));
    side.put("tokenizer", tokenizer);
    side.put("vocabulary_sha256", vocabularySha256);
    String name = shardPath.getName().replace(".arrow", ".json");
    try (OutputStream out = fs.create(new Path(dir, name), true)) {
      out.write(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(side));
    }
    writer = null;
  }

  @Override
  public void close() throws IOException {
    try {
      finishShard();
    } finally {
      root.close();
    }
  }
}
