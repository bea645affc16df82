package io.sluice.feeder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.storage.Sha256;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.storage.StorageEntry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The token shards a feeder serves, found either in a release (a directory or {@code s3://} prefix
 * with {@code manifest.json}, shards under {@code tokens/}, the plan in {@code mixture.json}) or in
 * a {@code tokens/} stage output (with {@code _SUCCESS}).
 *
 * <p>Shards on S3 are downloaded in parallel into a local cache directory (named by their SHA-256,
 * verified while downloading) so they can be memory-mapped; local shards are mapped where they are.
 * The cache is bounded: files of other releases are evicted oldest first, and a release larger than
 * the bound is refused up front.
 */
final class TokenRelease {
  private static final ObjectMapper JSON = new ObjectMapper();

  final String root;
  final String name;
  final List<ShardInfo> shards;
  final Mixture mixture;
  final String tokenizer;

  private TokenRelease(
      String root, String name, List<ShardInfo> shards, Mixture mixture, String tokenizer) {
    this.root = root;
    this.name = name;
    this.shards = shards;
    this.mixture = mixture;
    this.tokenizer = tokenizer;
  }

  /**
   * Lists a release's shards and reads its mixture plan.
   *
   * @param mixtureOverride a mixture plan to use instead of the release's (null: the release's, or
   *     uniform for a stage output)
   */
  static TokenRelease open(String path, String mixtureOverride, StorageConfig config)
      throws IOException {
    String root = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    try (Storage storage = Storage.forPath(root, config)) {
      String tokens;
      String mixture;
      Map<String, String> manifestSums = Map.of();
      if (storage.exists(root + "/manifest.json")) {
        tokens = root + "/tokens";
        mixture = storage.exists(root + "/mixture.json") ? root + "/mixture.json" : null;
        manifestSums = manifestChecksums(storage, root);
      } else if (storage.exists(root + "/_SUCCESS")) {
        tokens = root;
        mixture = null;
      } else {
        throw new FileNotFoundException(
            path
                + " is neither a release (no manifest.json) nor a committed tokens/ stage output"
                + " (no _SUCCESS)");
      }
      List<StorageEntry> entries = storage.list(tokens);
      Set<String> files = entries.stream().map(StorageEntry::path).collect(Collectors.toSet());
      List<ShardInfo> shards = new ArrayList<>();
      for (StorageEntry e : entries) {
        String file = e.path().substring(e.path().lastIndexOf('/') + 1);
        if (file.startsWith("shard-") && file.endsWith(".json")) {
          ShardInfo s = readSidecar(storage, e.path());
          if (!files.contains(s.path())) {
            throw new FileNotFoundException(
                "shard " + s.path() + " is missing (its sidecar " + e.path() + " lists it)");
          }
          String listed = manifestSums.get(s.path().substring(root.length() + 1));
          if (listed != null && !listed.equals(s.sha256())) {
            throw new IOException(
                "shard " + s.path() + ": manifest sha256 " + listed + " != sidecar " + s.sha256());
          }
          shards.add(s);
        }
      }
      if (shards.isEmpty()) {
        throw new IOException(tokens + " holds no token shards (shard-*.json sidecars)");
      }
      String tokenizer = shards.get(0).tokenizer();
      for (ShardInfo s : shards) {
        if (!s.vocabularySha256().equals(shards.get(0).vocabularySha256())) {
          throw new IOException(
              "shards "
                  + shards.get(0).name()
                  + " and "
                  + s.name()
                  + " were written by different tokenizers");
        }
      }
      String plan = mixtureOverride != null ? mixtureOverride : mixture;
      Mixture mix = Mixture.uniform();
      if (plan != null) {
        try (Storage ps = Storage.forPath(plan, config);
            InputStream in = ps.open(plan)) {
          mix = Mixture.read(in, plan);
        }
      }
      String name = root.substring(root.lastIndexOf('/') + 1);
      return new TokenRelease(root, name, List.copyOf(shards), mix, tokenizer);
    }
  }

  private static Map<String, String> manifestChecksums(Storage storage, String root)
      throws IOException {
    JsonNode manifest;
    try (InputStream in = storage.open(root + "/manifest.json")) {
      manifest = JSON.readTree(in);
    }
    Map<String, String> sums = new HashMap<>();
    JsonNode files = manifest == null ? null : manifest.get("files");
    if (files != null && files.isArray()) {
      for (JsonNode f : files) {
        if (f.hasNonNull("path") && f.hasNonNull("sha256")) {
          sums.put(f.get("path").asText(), f.get("sha256").asText());
        }
      }
    }
    return sums;
  }

  private static ShardInfo readSidecar(Storage storage, String sidecar) throws IOException {
    JsonNode n;
    try (InputStream in = storage.open(sidecar)) {
      n = JSON.readTree(in);
    }
    String shard = text(n, "shard", sidecar);
    String dir = sidecar.substring(0, sidecar.lastIndexOf('/'));
    return new ShardInfo(
        shard,
        dir + "/" + shard,
        text(n, "sha256", sidecar),
        number(n, "rows", sidecar),
        number(n, "tokens", sidecar),
        number(n, "bytes", sidecar),
        text(n, "tokenizer", sidecar),
        text(n, "vocabulary_sha256", sidecar));
  }

  private static String text(JsonNode n, String field, String file) throws IOException {
    if (n == null || !n.hasNonNull(field) || !n.get(field).isTextual()) {
      throw new IOException("sidecar " + file + ": field '" + field + "' is missing or not text");
    }
    return n.get(field).asText();
  }

  private static long number(JsonNode n, String field, String file) throws IOException {
    if (n == null || !n.hasNonNull(field) || !n.get(field).isIntegralNumber()) {
      throw new IOException("sidecar " + file + ": field '" + field + "' is missing or not an int");
    }
    return n.get(field).asLong();
  }

  long totalBytes() {
    return shards.stream().mapToLong(ShardInfo::bytes).sum();
  }

  /**
   * Local files of every shard, in {@link #shards} order: the shards themselves for a local
   * release, verified downloads in {@code cacheDir} for S3 (fetched four at a time).
   */
  List<Path> localFiles(Path cacheDir, long cacheBytes, StorageConfig config) throws IOException {
    if (!Storage.isS3(root)) {
      return shards.stream().map(s -> Path.of(s.path())).toList();
    }
    long needed = totalBytes();
    if (needed > cacheBytes) {
      throw new IOException(
          "release "
              + root
              + " needs "
              + needed
              + " bytes of local shard cache but the cache is limited to "
              + cacheBytes
              + " (--cache-bytes)");
    }
    Path dir = cacheDir.resolve("shards");
    Files.createDirectories(dir);
    evictFor(dir, needed, cacheBytes);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (Storage storage = Storage.forPath(root, config)) {
      List<Future<Path>> pending = new ArrayList<>();
      for (ShardInfo s : shards) {
        pending.add(pool.submit(() -> download(storage, s, dir)));
      }
      List<Path> out = new ArrayList<>();
      for (Future<Path> f : pending) {
        out.add(getUnchecked(f));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Path getUnchecked(Future<Path> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading shards", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Removes the least recently used cached shards not of this release until it fits. */
  private void evictFor(Path dir, long needed, long cacheBytes) throws IOException {
    Set<String> mine = shards.stream().map(s -> s.sha256() + ".arrow").collect(Collectors.toSet());
    List<Path> others;
    try (Stream<Path> files = Files.list(dir)) {
      others =
          files
              .filter(p -> !mine.contains(p.getFileName().toString()))
              .sorted(
                  (a, b) -> {
                    try {
                      return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                    } catch (IOException e) {
                      return 0;
                    }
                  })
              .toList();
    }
    long used = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!mine.contains(p.getFileName().toString())) {
          used += Files.size(p);
        }
      }
    }
    for (Path p : others) {
      if (used + needed <= cacheBytes) {
        break;
      }
      used -= Files.size(p);
      Files.deleteIfExists(p);
    }
  }

  private static Path download(Storage storage, ShardInfo s, Path dir) throws IOException {
    Path target = dir.resolve(s.sha256() + ".arrow");
    if (Files.isRegularFile(target) && Files.size(target) == s.bytes()) {
      Files.setLastModifiedTime(
          target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
      return target;
    }
    Path tmp = Files.createTempFile(dir, ".download-", ".tmp");
    try {
      MessageDigest sha = Sha256.digest();
      try (InputStream in = new DigestInputStream(storage.open(s.path()), sha);
          OutputStream out = Files.newOutputStream(tmp)) {
        in.transferTo(out);
      } catch (FileNotFoundException e) {
        throw new FileNotFoundException("shard " + s.path() + " is missing: " + e.getMessage());
      }
      String actual = Sha256.hex(sha);
      if (!actual.equals(s.sha256())) {
        throw new IOException(
            "shard "
                + s.path()
                + " is corrupt: sha256 is "
                + actual
                + " but its sidecar says "
                + s.sha256());
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
