package io.sluice.index;

import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.StoredFieldsFormat;
import org.apache.lucene.codecs.compressing.CompressionMode;
import org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;

/**
 * The Lucene codec of BM25 shards: Lucene's default in every part but stored fields, which are
 * compressed in chunks of about 4 KiB with plain LZ4 instead of the default's 80 KiB blocks with a
 * preset dictionary. Why: every search hit returns its passage's text, and reading one stored
 * document decompresses the chunk up to it. With the default, that was about 12 KiB (dictionary
 * and sub-block) and 24 µs per hit on SciFact, half of a BM25 request's CPU in the server; with 4
 * KiB chunks it is a passage or two. The price is a weaker compression ratio of the text.
 *
 * <p>Registered through {@code META-INF/services/org.apache.lucene.codecs.Codec}, so Lucene finds
 * it by the name each segment records; indexes written with Lucene's own codec still read.
 */
public final class PassageCodec extends FilterCodec {

  /** The name segments record. Never change it: indexes written with it would no longer open. */
  public static final String NAME = "SluicePassages912";

  private final StoredFieldsFormat storedFields =
      new Lucene90CompressingStoredFieldsFormat(
          "SluicePassagesStoredFields", CompressionMode.FAST, 4 * 1024, 128, 10);

  /** Public with no arguments: Lucene's SPI loader instantiates it to read segments. */
  public PassageCodec() {
    super(NAME, new Lucene912Codec());
  }

  @Override
  public StoredFieldsFormat storedFieldsFormat() {
    return storedFields;
  }
}
