package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.storage.Storage;
import io.sluice.index.Retriever;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an index directory (local path or {@code s3://bucket/prefix}) as a {@link LoadedIndex}.
 *
 * <p>An S3 index is first copied to {@code cacheDir/<16 hex of sha256(location, manifest)>} (into a
 * temporary sibling, renamed when complete, so a crash never leaves a directory that looks whole);
 * a later load of the same manifest reuses the copy. Either way the {@link Retriever} verifies
 * every file's sha256 against the manifest before anything is served, so a corrupt release (or a
 * corrupt cached copy, which is then fetched again once) refuses to load. Thread-safe.
 */
final class IndexLoader {

  private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);
  static final String MANIFEST = "manifest.json";

  private final ServerConfig config;
  private final ObjectMapper json = new ObjectMapper();

  IndexLoader(ServerConfig config) {
    this.config = config;
  }

  /**
   * Opens and verifies the index at {@code location}.
   *
   * @throws IllegalArgumentException when it is not an index, or a file fails its checksum
   */
  LoadedIndex load(String location) throws IOException {
    if (!Storage.isS3(location)) {
      return open(location, Path.of(location));
    }
    Path target = cachePath(location);
    boolean cached = Files.isRegularFile(target.resolve(MANIFEST));
    if (!cached) {
      fetch(location, target);
    }
    try {
      return open(location, target);
    } catch (IllegalArgumentException e) {
      if (!cached) {
        throw e;
      }
      LOG.warn(
          "cached copy {} of {} is unusable ({}); fetching again",
          target,
          location,
          e.getMessage());
      fetch(location, target);
      return open(location, target);
    }
  }

  private LoadedIndex open(String location, Path dir) throws IOException {
    Path m = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(m)) {
      throw new IllegalArgumentException("not a Sluice index: " + m + " is missing");
    }
    JsonNode manifest = json.readTree(m.toFile());
    long bytes = 0;
    for (JsonNode f : manifest.path("files")) {
      bytes += f.path("bytes").asLong();
    }
    Retriever r =
        Retriever.open(
            dir, new Retriever.Options(true, config.queryTower(), config.encoderThreads(), "cpu"));
    try {
      return new LoadedIndex(location, dir, r, DocLookup.open(dir, manifest), bytes);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
  }

  private static String root(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /**
   * Where the cached copy of an S3 index lives: named by the sha256 of its location and manifest,
   * so a changed release is fetched again, and every location is fetched and verified on its own (a
   * copy of a release elsewhere is not trusted because its manifest matches).
   */
  private Path cachePath(String uri) throws IOException {
    try (Storage s = Storage.forPath(uri, config.storage());
        InputStream in = s.open(root(uri) + "/" + MANIFEST)) {
      byte[] where = (root(uri) + "\n").getBytes(StandardCharsets.UTF_8);
      byte[] manifest = in.readAllBytes();
      byte[] key = Arrays.copyOf(where, where.length + manifest.length);
      System.arraycopy(manifest, 0, key, where.length, manifest.length);
      return config.cacheDir().resolve(sha256(key).substring(0, 16));
    }
  }

  /** Copies an S3 index into {@code target} (replacing what is there). */
  private void fetch(String uri, Path target) throws IOException {
    String root = root(uri);
    try (Storage s = Storage.forPath(root, config.storage())) {
      byte[] manifestBytes;
      try (InputStream in = s.open(root + "/" + MANIFEST)) {
        manifestBytes = in.readAllBytes();
      }
      Files.createDirectories(config.cacheDir());
      Path tmp = Files.createTempDirectory(config.cacheDir(), ".fetch-");
      try {
        long start = System.nanoTime();
        for (JsonNode f : json.readTree(manifestBytes).path("files")) {
          String rel = f.path("path").asText();
          Path dst = tmp.resolve(rel).normalize();
          if (!dst.startsWith(tmp)) {
            throw new IllegalArgumentException(
                "manifest of " + uri + " lists a path outside: " + rel);
          }
          Files.createDirectories(dst.getParent());
          try (InputStream in = s.open(root + "/" + rel)) {
            Files.copy(in, dst);
          }
        }
        Files.write(tmp.resolve(MANIFEST), manifestBytes); // last: marks the copy complete
        deleteTree(target);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info(
            "fetched {} into {} in {} ms", uri, target, (System.nanoTime() - start) / 1_000_000);
      } finally {
        deleteTree(tmp);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
