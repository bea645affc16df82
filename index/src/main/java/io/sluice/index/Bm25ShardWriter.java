package io.sluice.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Writes the Lucene part of one shard: every passage as a document with its analyzed contents
 * (BM25) and stored fields (text, offsets, metadata). The index is sorted by passage ordinal and
 * merged to one segment, so Lucene's doc id equals the ordinal, which is also the FAISS label: both
 * indexes name a passage by the same number.
 *
 * <p>Not thread-safe; owns its directory handle until {@link #close()}.
 */
final class Bm25ShardWriter implements Closeable {

  static final String ORD = "ord";
  static final String ID = "id";
  static final String DOC_ID = "doc_id";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String START = "start";
  static final String END = "end";
  static final String KIND = "kind";
  static final String LANG = "lang";
  static final String SOURCE = "source";
  static final String URL = "url";
  static final String PATH = "path";

  private final FSDirectory dir;
  private final IndexWriter writer;
  private final Set<String> analyzers = new TreeSet<>();
  private long next;

  Bm25ShardWriter(Path path, float k1, float b) throws IOException {
    this.dir = FSDirectory.open(path);
    IndexWriterConfig c =
        new IndexWriterConfig(Analyzers.perField())
            .setSimilarity(new BM25Similarity(k1, b))
            .setCodec(new PassageCodec())
            .setIndexSort(new Sort(new SortField(ORD, SortField.Type.LONG)))
            .setRAMBufferSizeMB(256)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    this.writer = new IndexWriter(dir, c);
  }

  /** Adds the next passage; its ordinal is the number of passages added before it. */
  void add(Passage p) throws IOException {
    Document d = new Document();
    d.add(new NumericDocValuesField(ORD, next++));
    d.add(new StringField(ID, p.id(), Field.Store.YES));
    d.add(new StringField(DOC_ID, p.docId(), Field.Store.YES));
    // Doc values too: collapsing passages to documents must not load stored fields.
    d.add(new SortedDocValuesField(DOC_ID, new BytesRef(p.docId())));
    d.add(new StoredField(START, p.start()));
    d.add(new StoredField(END, p.end()));
    if (p.title() != null) {
      d.add(new StoredField(TITLE, p.title()));
    }
    d.add(new StoredField(TEXT, p.text()));
    addKeyword(d, KIND, p.kind());
    addKeyword(d, LANG, p.lang());
    addKeyword(d, SOURCE, p.source());
    if (p.url() != null) {
      d.add(new StoredField(URL, p.url()));
    }
    if (p.path() != null) {
      d.add(new StoredField(PATH, p.path()));
    }
    String key = Analyzers.key(p.kind(), p.lang());
    analyzers.add(key);
    d.add(new TextField(Analyzers.field(key), p.contents(), Field.Store.NO));
    writer.addDocument(d);
  }

  private static void addKeyword(Document d, String field, String value) {
    if (value != null) {
      d.add(new StringField(field, value, Field.Store.YES));
    }
  }

  long count() {
    return next;
  }

  /** The analyzer keys used so far (the contents fields a query must search). */
  Set<String> analyzers() {
    return analyzers;
  }

  /** Merges to one segment and commits. */
  void finish() throws IOException {
    writer.forceMerge(1);
    writer.commit();
  }

  @Override
  public void close() throws IOException {
    try {
      writer.close();
    } finally {
      dir.close();
    }
  }
}
