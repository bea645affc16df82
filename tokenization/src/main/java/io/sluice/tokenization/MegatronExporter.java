package io.sluice.tokenization;

import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.storage.StorageEntry;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Exports a {@code tokens/} stage to Megatron-LM's indexed dataset, so Megatron and NeMo can train
 * on a Sluice release directly: {@code PREFIX.bin} holds every document's tokens as little-endian
 * int32, in shard order; {@code PREFIX.idx} holds the header {@code MMIDIDX\0\0}, u64 version 1, u8
 * dtype code 4 (int32), u64 sequence count, u64 document count (sequences + 1), then int32 sequence
 * lengths, int64 byte pointers into the .bin, and int64 document indices {@code 0..N} (one sequence
 * per document). All integers little-endian, as numpy writes them.
 */
public final class MegatronExporter {

  static final byte[] MAGIC = "MMIDIDX\0\0".getBytes(StandardCharsets.US_ASCII);
  static final byte DTYPE_INT32 = 4;

  /** What was written. */
  public record Result(long documents, long tokens) {}

  private MegatronExporter() {}

  /**
   * @param tokensDir a committed tokens stage (local or s3://)
   * @param prefix output prefix (local path); {@code .bin} and {@code .idx} appear only when
   *     complete
   */
  public static Result export(String tokensDir, Path prefix, StorageConfig storage)
      throws IOException {
    List<Integer> lengths = new ArrayList<>();
    Path bin = Path.of(prefix + ".bin");
    Path idx = Path.of(prefix + ".idx");
    Path binTmp = Path.of(prefix + ".bin.tmp");
    long tokens = 0;
    try (Storage s = Storage.forPath(tokensDir, storage)) {
      String success = tokensDir.replaceAll("/+$", "") + "/_SUCCESS";
      if (!s.exists(success)) {
        throw new IllegalArgumentException(
            tokensDir + " is not a committed tokens stage (no _SUCCESS)");
      }
      List<String> shards =
          s.list(tokensDir).stream()
              .map(StorageEntry::path)
              .filter(p -> p.endsWith(".arrow"))
              .sorted()
              .toList();
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(binTmp), 1 << 20);
          BufferAllocator allocator = new RootAllocator()) {
        ByteBuffer buf = ByteBuffer.allocate(4 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (String shard : shards) {
          Path local = localCopy(s, shard);
          try (FileChannel ch = FileChannel.open(local);
              ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
              ListVector list = (ListVector) root.getVector("tokens");
              IntVector values = (IntVector) list.getDataVector();
              for (int r = 0; r < root.getRowCount(); r++) {
                int from = list.getElementStartIndex(r);
                int to = list.getElementEndIndex(r);
                lengths.add(to - from);
                tokens += to - from;
                for (int i = from; i < to; i++) {
                  if (!buf.hasRemaining()) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                  }
                  buf.putInt(values.get(i));
                }
              }
            }
          } finally {
            if (!local.toString().equals(shard)) {
              Files.deleteIfExists(local);
            }
          }
        }
        out.write(buf.array(), 0, buf.position());
      }
    }
    writeIndex(idx, lengths);
    Files.move(binTmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Result(lengths.size(), tokens);
  }

  private static Path localCopy(Storage s, String shard) throws IOException {
    if (!Storage.isS3(shard)) {
      return Path.of(shard.startsWith("file:") ? java.net.URI.create(shard).getPath() : shard);
    }
    Path tmp = Files.createTempFile("sluice-shard", ".arrow");
    try (InputStream in = s.open(shard)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
    }
    return tmp;
  }

  private static void writeIndex(Path idx, List<Integer> lengths) throws IOException {
    Path tmp = Path.of(idx + ".tmp");
    int n = lengths.size();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
      out.write(MAGIC);
      out.writeLong(Long.reverseBytes(1));
      out.writeByte(DTYPE_INT32);
      out.writeLong(Long.reverseBytes(n));
      out.writeLong(Long.reverseBytes(n + 1L));
      for (int len : lengths) {
        out.writeInt(Integer.reverseBytes(len));
      }
      long pointer = 0;
      for (int len : lengths) {
        out.writeLong(Long.reverseBytes(pointer));
        pointer += 4L * len;
      }
      for (long d = 0; d <= n; d++) {
        out.writeLong(Long.reverseBytes(d));
      }
    }
    Files.move(tmp, idx, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
