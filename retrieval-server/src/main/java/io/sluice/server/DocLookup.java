package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * Finds passages by passage id or document id for {@code GET /v1/doc/{id}}.
 *
 * <p>The index module's {@code Retriever} has no lookup by id yet, so this reads the index's Lucene
 * shards itself ({@code <shard>/bm25}, memory-mapped), relying on two facts of the index format:
 * the shard names in {@code manifest.json} and the stored, indexed keyword fields {@code id} and
 * {@code doc_id}. It goes away when {@code Retriever} gains a lookup. Thread-safe; owns its
 * readers.
 */
final class DocLookup implements Closeable {

  static final String ID = "id";
  static final String DOC_ID = "doc_id";

  /** Most passages returned for one document (a 50 MB document has thousands). */
  static final int MAX_PASSAGES = 1000;

  private final IndexReader reader;
  private final IndexSearcher searcher;

  private DocLookup(IndexReader reader) {
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
  }

  static DocLookup open(Path dir, JsonNode manifest) throws IOException {
    List<DirectoryReader> readers = new ArrayList<>();
    try {
      for (JsonNode s : manifest.path("shards")) {
        Path p = dir.resolve(s.path("name").asText()).resolve("bm25");
        readers.add(DirectoryReader.open(FSDirectory.open(p)));
      }
      return new DocLookup(new MultiReader(readers.toArray(new IndexReader[0]), true));
    } catch (IOException | RuntimeException e) {
      for (DirectoryReader r : readers) {
        r.close();
      }
      throw e;
    }
  }

  /** The passage with this id, as field → value, or null. */
  Map<String, Object> passage(String id) throws IOException {
    ScoreDoc[] d = searcher.search(new TermQuery(new Term(ID, id)), 1).scoreDocs;
    return d.length == 0 ? null : fields(searcher.storedFields().document(d[0].doc));
  }

  /** The passages of a document in text order (at most {@link #MAX_PASSAGES}); empty if none. */
  List<Map<String, Object>> document(String docId) throws IOException {
    ScoreDoc[] d = searcher.search(new TermQuery(new Term(DOC_ID, docId)), MAX_PASSAGES).scoreDocs;
    List<Map<String, Object>> out = new ArrayList<>(d.length);
    for (ScoreDoc s : d) {
      out.add(fields(searcher.storedFields().document(s.doc)));
    }
    out.sort(Comparator.comparingLong(m -> m.get("start") instanceof Number n ? n.longValue() : 0));
    return out;
  }

  private static Map<String, Object> fields(Document doc) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (IndexableField f : doc.getFields()) {
      m.put(f.name(), f.numericValue() != null ? f.numericValue() : f.stringValue());
    }
    return m;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
