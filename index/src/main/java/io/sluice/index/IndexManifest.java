package io.sluice.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.storage.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of an index directory (layout in index/README.md): what was indexed and how
 * (passage sizes, BM25 parameters and analyzers, dense index type, towers), the shards, and every
 * file with its size and sha256. Written last; readers check format and version, then verify the
 * files against it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IndexManifest(
    String format,
    int version,
    String created,
    String input,
    int passageWords,
    int codeLines,
    long documents,
    long passages,
    long truncated,
    Bm25 bm25,
    Dense dense,
    QueryTower queryTower,
    List<Shard> shards,
    List<FileEntry> files) {

  static final String FILE = "manifest.json";
  static final String FORMAT = "sluice-index";
  static final int VERSION = 1;

  /** BM25 parameters and the analyzer keys (contents fields) present. */
  record Bm25(float k1, float b, List<String> analyzers) {}

  /**
   * The dense part: FAISS index type per shard is in {@link Shard#faiss()}; search parameters apply
   * to every shard.
   */
  record Dense(String type, int dim, TowerConfig docTower, Map<String, Double> searchParameters) {}

  /**
   * A distilled query tower, of one of two types: {@code encoder+head} (absent in manifests written
   * before static towers existed), a small encoder plus a projection head ({@link ProjectionHead}
   * file {@code head}) mapping into the document tower's space; or {@code static}, token vectors
   * ({@link StaticEmbeddings} file {@code head}, dimIn = vocabulary size) with the document tower's
   * tokenizer ({@code encoder}) copied into the index.
   */
  record QueryTower(
      TowerConfig encoder,
      String head,
      int dimIn,
      int dimOut,
      Map<String, Object> training,
      String type) {

    static final String ENCODER_HEAD = "encoder+head";
    static final String STATIC = "static";

    boolean isStatic() {
      return STATIC.equals(type);
    }

    QueryTower withTraining(Map<String, Object> t) {
      return new QueryTower(encoder, head, dimIn, dimOut, t, type);
    }
  }

  record Shard(String name, long documents, long passages, long truncated, String faiss) {}

  record FileEntry(String path, long bytes, String sha256) {}

  private static ObjectMapper mapper() {
    return new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  String toJson() {
    try {
      return mapper().writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the index manifest", e);
    }
  }

  static IndexManifest read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException(
          "not a Sluice index: " + f + " is missing (an index is committed only when it exists)");
    }
    IndexManifest m;
    try {
      m = mapper().readValue(f.toFile(), IndexManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt index manifest " + f + ": " + e.getMessage(), e);
    }
    if (!FORMAT.equals(m.format()) || m.version() != VERSION) {
      throw new IllegalArgumentException(
          "unsupported index format in "
              + f
              + ": "
              + m.format()
              + " v"
              + m.version()
              + " (expected "
              + FORMAT
              + " v"
              + VERSION
              + ")");
    }
    return m;
  }

  /** Checks every listed file's size and sha256. */
  void verify(Path dir) throws IOException {
    for (FileEntry e : files) {
      Path p = dir.resolve(e.path());
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("index file missing: " + p + " (listed in manifest)");
      }
      long size = Files.size(p);
      if (size != e.bytes()) {
        throw new IllegalArgumentException(
            "index file size mismatch: "
                + p
                + " has "
                + size
                + " bytes, manifest says "
                + e.bytes());
      }
      String sha = Sha256.of(p);
      if (!sha.equals(e.sha256())) {
        throw new IllegalArgumentException(
            "index file checksum mismatch: " + p + " sha256=" + sha + " vs manifest " + e.sha256());
      }
    }
  }

  /** Lists every regular file under dir (except the manifest and stage markers) with checksums. */
  static List<FileEntry> list(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = dir.relativize(p).toString();
                return !n.equals(FILE) && !n.startsWith("_SUCCESS") && !n.equals("stats.json");
              })
          .sorted()
          .map(
              p -> {
                try {
                  return new FileEntry(dir.relativize(p).toString(), Files.size(p), Sha256.of(p));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  IndexManifest withQueryTower(QueryTower q, List<FileEntry> newFiles) {
    return new IndexManifest(
        format,
        version,
        created,
        input,
        passageWords,
        codeLines,
        documents,
        passages,
        truncated,
        bm25,
        dense,
        q,
        shards,
        newFiles);
  }
}
