package io.sluice.feeder;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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

/**
 * Writes a {@code tokens/} stage output in the format of DESIGN.md §3 (the same schema and sidecars
 * as the tokenize job) from documents whose first token is their own number, so a test can tell
 * documents apart in a reconstructed stream.
 */
public final class TokenShards {
  private TokenShards() {}

  public static final int EOS = 128001; // llama3's <|end_of_text|>
  static final Schema SCHEMA =
      new Schema(
          List.of(
              Field.notNullable("doc_id", ArrowType.Utf8.INSTANCE),
              new Field(
                  "tokens",
                  FieldType.notNullable(ArrowType.List.INSTANCE),
                  List.of(Field.notNullable("item", new ArrowType.Int(32, true)))),
              Field.nullable("lang", ArrowType.Utf8.INSTANCE),
              Field.nullable("kind", ArrowType.Utf8.INSTANCE),
              Field.nullable("quality_bucket", new ArrowType.Int(32, true))));

  /** One document: its tokens (first = its number) and bucket (null: none). */
  public record Doc(int number, int[] tokens, Integer bucket) {}

  /** {@code count} documents of 1..maxLen tokens, buckets cycling over {@code buckets}. */
  public static List<Doc> documents(int count, int maxLen, int buckets, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Doc> docs = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      int[] t = new int[1 + r.nextInt(maxLen)];
      t[0] = d;
      for (int i = 1; i < t.length; i++) {
        t[i] = 100_000 + r.nextInt(28_000);
      }
      docs.add(new Doc(d, t, buckets == 0 ? null : d % buckets));
    }
    return docs;
  }

  /** Writes {@code docs} into {@code shards} shards (several record batches each) under dir. */
  public static void write(Path dir, List<Doc> docs, int shards) throws IOException {
    Files.createDirectories(dir);
    int per = (docs.size() + shards - 1) / shards;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int s = 0; s < shards; s++) {
        List<Doc> part =
            docs.subList(Math.min(docs.size(), s * per), Math.min(docs.size(), (s + 1) * per));
        writeShard(dir, String.format("shard-%05d-0000", s), part, allocator);
      }
    }
    Files.writeString(dir.resolve("_SUCCESS"), "");
  }

  private static void writeShard(Path dir, String name, List<Doc> docs, BufferAllocator allocator)
      throws IOException {
    Path file = dir.resolve(name + ".arrow");
    long tokens = 0;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
        FileChannel ch =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
      writer.start();
      int batch = 7; // small batches so offsets cross record batches
      for (int from = 0; from < docs.size(); from += batch) {
        root.allocateNew();
        List<Doc> b = docs.subList(from, Math.min(docs.size(), from + batch));
        UnionListWriter list = ((ListVector) root.getVector("tokens")).getWriter();
        for (int i = 0; i < b.size(); i++) {
          Doc d = b.get(i);
          ((VarCharVector) root.getVector("doc_id"))
              .setSafe(i, ("doc-" + d.number()).getBytes(StandardCharsets.UTF_8));
          list.setPosition(i);
          list.startList();
          for (int t : d.tokens()) {
            list.writeInt(t);
          }
          list.endList();
          ((VarCharVector) root.getVector("lang"))
              .setSafe(i, "en".getBytes(StandardCharsets.UTF_8));
          ((VarCharVector) root.getVector("kind"))
              .setSafe(i, "web".getBytes(StandardCharsets.UTF_8));
          IntVector bucket = (IntVector) root.getVector("quality_bucket");
          if (d.bucket() == null) {
            bucket.setNull(i);
          } else {
            bucket.setSafe(i, d.bucket());
          }
          tokens += d.tokens().length;
        }
        root.setRowCount(b.size());
        writer.writeBatch();
      }
      writer.end();
    }
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("shard", file.getFileName().toString());
    side.put("rows", docs.size());
    side.put("tokens", tokens);
    side.put("bytes", Files.size(file));
    side.put("text_bytes", 0);
    side.put("sha256", sha256(file));
    side.put("tokenizer", "llama3");
    side.put("vocabulary_sha256", "test-vocabulary");
    Files.write(dir.resolve(name + ".json"), new ObjectMapper().writeValueAsBytes(side));
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A mixture plan in the shape {@code sluice select} writes. */
  public static Path mixture(Path file, Map<Integer, Double> epochs) throws IOException {
    StringBuilder sb = new StringBuilder("{\"buckets\": [");
    String sep = "";
    for (Map.Entry<Integer, Double> e : epochs.entrySet()) {
      sb.append(sep)
          .append("{\"bucket\": ")
          .append(e.getKey())
          .append(", \"epochs\": ")
          .append(e.getValue())
          .append('}');
      sep = ", ";
    }
    Files.writeString(file, sb.append("]}").toString());
    return file;
  }
}
