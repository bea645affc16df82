package io.sluice.tokenization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.doc.Document;
import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.spark.SparkSessions;
import io.sluice.core.storage.StorageConfig;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenize job: shards read back with Arrow hold every document once, with the tokenizer's
 * exact ids.
 */
class TokenizeJobTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    System.setProperty("spark.master", "local[2]");
    spark = SparkSessions.create("tokenize-test", StorageConfig.defaults());
  }

  @AfterAll
  static void stop() {
    spark.stop();
    System.clearProperty("spark.master");
  }

  @Test
  void shardsHoldEveryDocumentOnceWithExactIdsAndVerifiableSidecars() throws Exception {
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      docs.add(
          new Document(
              "en-" + i,
              "Document number " + i + " talks about rivers and mills. ".repeat(1 + i % 7),
              "web",
              "en",
              1f,
              "t",
              null,
              null,
              null,
              null,
              null));
    }
    docs.add(
        new Document(
            "zh-1", "这条河谷的历史悠久，当地学者对此有详细的记载。", "web", "zh", 1f, "t", null, null, null, null, null));
    docs.add(
        new Document(
            "py-1",
            "def f(x):\n    return x + 1\n",
            "code",
            "python",
            1f,
            "t",
            null,
            "f.py",
            null,
            null,
            null));
    docs.add(new Document("empty", "", "web", "en", 1f, "t", null, null, null, null, null));
    String in = dir.resolve("documents").toString();
    spark
        .createDataFrame(docs.stream().map(DocumentSchema::toRow).toList(), DocumentSchema.DOCUMENT)
        .write()
        .partitionBy("kind", "lang")
        .parquet(in);

    String out = dir.resolve("tokens").toString();
    TokenizeJob.Summary s =
        new TokenizeJob(spark)
            .run(new TokenizeJob.Options(in, out, "cl100k_base", 300, false, null));
    Tokenizer tok = Tokenizers.byName("cl100k_base");

    Map<String, int[]> read = new HashMap<>();
    long sidecarTokens = 0;
    List<Path> shards;
    try (Stream<Path> files = Files.list(Path.of(out))) {
      shards = files.filter(p -> p.toString().endsWith(".arrow")).sorted().toList();
    }
    assertTrue(shards.size() > 3, "small shard size cuts several shards: " + shards.size());
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Path shard : shards) {
        JsonNode side =
            new ObjectMapper()
                .readTree(Path.of(shard.toString().replace(".arrow", ".json")).toFile());
        assertEquals(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(shard))),
            side.get("sha256").asText());
        assertEquals(Files.size(shard), side.get("bytes").asLong());
        assertEquals(tok.vocabularySha256(), side.get("vocabulary_sha256").asText());
        long rows = 0;
        long tokens = 0;
        try (FileChannel ch = FileChannel.open(shard);
            ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          while (reader.loadNextBatch()) {
            ListVector list = (ListVector) root.getVector("tokens");
            for (int r = 0; r < root.getRowCount(); r++) {
              String id = root.getVector("doc_id").getObject(r).toString();
              @SuppressWarnings("unchecked")
              List<Integer> ids = (List<Integer>) list.getObject(r);
              int[] arr = ids.stream().mapToInt(Integer::intValue).toArray();
              assertEquals(null, read.put(id, arr), "document " + id + " appears once");
              rows++;
              tokens += arr.length;
            }
          }
        }
        assertEquals(side.get("rows").asLong(), rows);
        assertEquals(side.get("tokens").asLong(), tokens);
        assertTrue(
            tokens <= 300 || rows == 1,
            "a shard closes at the limit unless one document exceeds it");
        sidecarTokens += tokens;
      }
    }
    assertEquals(docs.size(), read.size());
    for (Document d : docs) {
      assertArrayEquals(tok.encode(d.text()), read.get(d.id()), d.id());
    }
    assertEquals(sidecarTokens, ((Number) s.stats().get("tokens")).longValue());
    assertEquals((long) docs.size(), s.stats().get("documents"));
    assertTrue(Files.exists(Path.of(out, "_SUCCESS")));

    // Megatron export, read back with an independent reader of the documented layout.
    Path prefix = dir.resolve("megatron/corpus");
    Files.createDirectories(prefix.getParent());
    MegatronExporter.Result ex = MegatronExporter.export(out, prefix, StorageConfig.defaults());
    assertEquals(docs.size(), ex.documents());
    java.nio.ByteBuffer idx =
        java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(prefix + ".idx")))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[9];
    idx.get(magic);
    assertArrayEquals("MMIDIDX\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), magic);
    assertEquals(1L, idx.getLong());
    assertEquals(4, idx.get(), "dtype code 4 = int32");
    long sequences = idx.getLong();
    long documents = idx.getLong();
    assertEquals(docs.size(), sequences);
    assertEquals(sequences + 1, documents);
    int[] lengths = new int[(int) sequences];
    for (int i = 0; i < sequences; i++) {
      lengths[i] = idx.getInt();
    }
    long[] pointers = new long[(int) sequences];
    for (int i = 0; i < sequences; i++) {
      pointers[i] = idx.getLong();
    }
    for (long d = 0; d < documents; d++) {
      assertEquals(d, idx.getLong());
    }
    assertEquals(0, idx.remaining());
    java.nio.ByteBuffer bin =
        java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(prefix + ".bin")))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.util.Set<String> matched = new java.util.HashSet<>();
    for (int i = 0; i < sequences; i++) {
      int[] seq = new int[lengths[i]];
      for (int k = 0; k < seq.length; k++) {
        seq[k] = bin.getInt((int) pointers[i] + 4 * k);
      }
      for (Map.Entry<String, int[]> e : read.entrySet()) {
        if (!matched.contains(e.getKey()) && java.util.Arrays.equals(e.getValue(), seq)) {
          matched.add(e.getKey());
          break;
        }
      }
    }
    assertEquals(docs.size(), matched.size(), "every exported sequence is one document's tokens");
    assertEquals(4L * ex.tokens(), Files.size(Path.of(prefix + ".bin")));
  }
}
