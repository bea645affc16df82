package io.sluice.index;

import java.io.IOException;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.compressing.Compressor;
import org.apache.lucene.codecs.compressing.Decompressor;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.store.ByteBuffersDataInput;
import org.apache.lucene.store.DataInput;
import org.apache.lucene.store.DataOutput;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene codec of BM25 shards: Lucene's default in every part but stored fields, which are
 * kept uncompressed in chunks of about 4 KiB. Why: every search hit returns its passage's text,
 * and reading one stored document decompresses its chunk up to it. With Lucene's default (80 KiB
 * blocks, LZ4 with a preset dictionary) that was about 12 KiB and 24 µs per hit on SciFact, half of
 * a BM25 request's CPU in the server; with LZ4 over 4 KiB chunks it was still a tenth of the
 * server's CPU under load (Lucene's LZ4 copies every literal run with its own bounds-checked read).
 * Uncompressed, reading a hit is one bulk copy of its own bytes. The price is disk: the passage
 * text is stored as UTF-8 bytes, about twice what LZ4 would keep.
 *
 * <p>Registered through {@code META-INF/services/org.apache.lucene.codecs.Codec}, so Lucene finds
 * it by the name each segment records; indexes written with Lucene's own codec still read.
 */
public final class PassageCodec extends FilterCodec {

  /** The name segments record. Never change it: indexes written with it would no longer open. */
  public static final String NAME = "SluicePassages912";

  private final StoredFieldsFormat storedFields =
      new Lucene90CompressingStoredFieldsFormat(
          "SluicePassagesRawStoredFields", new Uncompressed(), 4 * 1024, 128, 10);

  /** Public with no arguments: Lucene's SPI loader instantiates it to read segments. */
  public PassageCodec() {
    super(NAME, new Lucene912Codec());
  }

  @Override
  public StoredFieldsFormat storedFieldsFormat() {
    return storedFields;
  }

  /** Chunks stored as they are: compressing copies the bytes, decompressing reads them back. */
  private static final class Uncompressed extends CompressionMode {

    @Override
    public Compressor newCompressor() {
      return new Compressor() {
        @Override
        public void compress(ByteBuffersDataInput in, DataOutput out) throws IOException {
          out.copyBytes(in, in.length());
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Decompressor newDecompressor() {
      return new Copy();
    }

    @Override
    public String toString() {
      return "Uncompressed";
    }
  }

  /**
   * Reads only the wanted range of a stored chunk, in one copy: the chunk is stored as it is, so
   * the bytes before the range are skipped (a seek), not read. Lucene hands each document read a
   * fresh buffer, so reading the chunk from its start would allocate and copy all the passages
   * before the wanted one, half a chunk a hit on average.
   */
  private static final class Copy extends Decompressor {

    @Override
    public void decompress(
        DataInput in, int originalLength, int offset, int length, BytesRef bytes)
        throws IOException {
      if (offset < 0 || length < 0 || offset + length > originalLength) {
        throw new IllegalArgumentException(
            "stored-fields range "
                + offset
                + "+"
                + length
                + " beyond the chunk's "
                + originalLength);
      }
      in.skipBytes(offset);
      bytes.bytes = ArrayUtil.growNoCopy(bytes.bytes, length);
      in.readBytes(bytes.bytes, 0, length);
      bytes.offset = 0;
      bytes.length = length;
    }

    @Override
    public Decompressor clone() {
      return this;
    }
  }
}
