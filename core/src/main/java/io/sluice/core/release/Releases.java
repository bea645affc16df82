package io.sluice.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.stage.StageOutput;
import io.sluice.core.storage.S3Storage;
import io.sluice.core.storage.Sha256;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import io.sluice.core.storage.StorageEntry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Publishes, lists, verifies and fetches releases.
 *
 * <p>Publishing uploads every file of a pipeline output (several at a time, large files as S3
 * multipart uploads, each file retried with backoff on failure), computing each file's sha256, then
 * writes a dataset card ({@code README.md}) and, last, {@code manifest.json}: a release is complete
 * exactly when its manifest exists, and a version whose manifest exists is never written again.
 * Fetching downloads into a hidden temporary directory, checks every sha256 while downloading, and
 * renames the directory into place only when all files are right.
 */
public final class Releases {
  private static final int PARALLEL = 4;
  private static final int ATTEMPTS = 4;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final List<String> STAGE_DIRS =
      List.of("documents", "scored", "deduped", "tokens", "index");

  /** The files besides the stages that a release holds, at its top level. */
  private static final List<String> TOP_FILES = List.of("mixture.json", "pipeline.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StorageConfig config;
  private final PrintStream log;

  public Releases(StorageConfig config, PrintStream log) {
    this.config = config;
    this.log = log;
  }

  /** Thrown when publishing a version that already has a manifest. */
  public static final class ReleaseExistsException extends IOException {
    ReleaseExistsException(String path) {
      super(
          "release "
              + path
              + " already exists (its manifest.json is there); versions are immutable");
    }
  }

  /**
   * What to publish.
   *
   * @param from a local pipeline output directory (documents/, scored/, …, mixture.json)
   * @param root where releases live: a local directory or {@code s3://bucket/prefix}
   * @param pipeline the pipeline config to record, or null
   * @param licence what the card says about licences (Sluice does not know the inputs' terms)
   * @param sluiceVersion the version of Sluice that made it
   */
  public record PublishRequest(
      Path from,
      String root,
      String name,
      String version,
      JsonNode pipeline,
      String licence,
      String sluiceVersion) {}

  /** A published release: its path and manifest. */
  public record Published(String path, ReleaseManifest manifest) {}

  public static String path(String root, String name, String version) {
    return root.replaceAll("/+$", "") + "/" + name + "/" + version;
  }

  public Published publish(PublishRequest r) throws IOException {
    for (String[] f : new String[][] {{"name", r.name()}, {"version", r.version()}}) {
      if (f[1] == null || !NAME.matcher(f[1]).matches()) {
        throw new IllegalArgumentException(
            "release " + f[0] + " '" + f[1] + "' must match " + NAME.pattern());
      }
    }
    if (!Files.isDirectory(r.from())) {
      throw new FileNotFoundException("release source " + r.from() + " is not a directory");
    }
    String target = path(r.root(), r.name(), r.version());
    try (Storage storage = Storage.forPath(target, config)) {
      if (storage.exists(target + "/" + ReleaseManifest.FILE)) {
        throw new ReleaseExistsException(target);
      }
      List<Path> files = filesOf(r.from());
      if (files.isEmpty()) {
        throw new IOException("release source " + r.from() + " holds no files");
      }
      Map<String, JsonNode> stages = new LinkedHashMap<>();
      for (String stage : STAGE_DIRS) {
        Path stats = r.from().resolve(stage).resolve("stats.json");
        if (Files.isRegularFile(stats)) {
          stages.put(stage, JSON.readTree(stats.toFile()));
        }
      }
      Path mixtureFile = r.from().resolve("mixture.json");
      JsonNode mixture =
          Files.isRegularFile(mixtureFile) ? JSON.readTree(mixtureFile.toFile()) : null;
      String tokenizer =
          stages.containsKey("tokens") ? stages.get("tokens").path("tokenizer").asText(null) : null;

      Path card = Files.createTempFile("sluice-release-card", ".md");
      try {
        Files.writeString(
            card,
            DatasetCard.render(r.name(), r.version(), r.licence(), stages, mixture),
            StandardCharsets.UTF_8);
        Map<String, Path> uploads = new LinkedHashMap<>();
        for (Path f : files) {
          uploads.put(relative(r.from(), f), f);
        }
        uploads.put("README.md", card);
        List<ReleaseManifest.FileEntry> entries = uploadAll(storage, target, uploads);
        ReleaseManifest manifest =
            new ReleaseManifest(
                r.name(),
                r.version(),
                Instant.now().toString(),
                r.sluiceVersion(),
                r.pipeline(),
                tokenizer,
                stages,
                mixture,
                entries);
        try (OutputStream o = storage.create(target + "/" + ReleaseManifest.FILE)) {
          o.write(manifest.toJson());
        }
        return new Published(target, manifest);
      } finally {
        Files.deleteIfExists(card);
      }
    }
  }

  /**
   * The files a release holds: the committed stage directories ({@link #STAGE_DIRS}), {@code
   * mixture.json} and {@code pipeline.yaml}. Anything else in the directory stays out (and is
   * named in the log): earlier releases fetched into it, a user's notes, or a stage that never
   * committed would otherwise be published inside the release, each re-run nesting the last.
   */
  private List<Path> filesOf(Path dir) throws IOException {
    List<Path> tops = new java.util.ArrayList<>();
    List<String> left = new java.util.ArrayList<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        String name = p.getFileName().toString();
        boolean stage =
            STAGE_DIRS.contains(name) && Files.isRegularFile(p.resolve(StageOutput.SUCCESS));
        boolean file = TOP_FILES.contains(name) && Files.isRegularFile(p);
        if (stage || file) {
          tops.add(p);
        } else if (!name.startsWith(".")) {
          left.add(name);
        }
      }
    }
    if (!left.isEmpty()) {
      log.printf(
          "[release] left out of the release (not a committed stage, %s): %s%n",
          String.join(" or ", TOP_FILES),
          left);
    }
    List<Path> files = new java.util.ArrayList<>();
    for (Path top : tops) {
      try (Stream<Path> walk = Files.walk(top)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> !hidden(dir.relativize(p)))
            .forEach(files::add);
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * What stays out: temporary and in-progress files (dot files, Spark's {@code _temporary}), run
   * timings ({@code run.json}: a release re-made from the same input must be identical) and a
   * top-level README.md (the release's own card takes its place).
   */
  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      String s = part.toString();
      if (s.startsWith(".")
          || s.equals("_temporary")
          || s.equals(StageOutput.RUN)
          || s.equals("README.md") && relative.getNameCount() == 1) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private List<ReleaseManifest.FileEntry> uploadAll(
      Storage storage, String target, Map<String, Path> uploads) throws IOException {
    long total = 0;
    for (Path p : uploads.values()) {
      total += Files.size(p);
    }
    AtomicLong done = new AtomicLong();
    AtomicLong filesDone = new AtomicLong();
    long t0 = System.nanoTime();
    long totalBytes = total;
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try {
      List<Future<ReleaseManifest.FileEntry>> pending = new ArrayList<>();
      for (Map.Entry<String, Path> e : uploads.entrySet()) {
        pending.add(
            pool.submit(
                () -> {
                  ReleaseManifest.FileEntry entry =
                      withRetries(
                          "upload " + e.getKey(),
                          () ->
                              upload(storage, target + "/" + e.getKey(), e.getKey(), e.getValue()));
                  long d = done.addAndGet(entry.bytes());
                  long n = filesDone.incrementAndGet();
                  double s = (System.nanoTime() - t0) / 1e9;
                  log.printf(
                      java.util.Locale.ROOT,
                      "[release] files %d/%d  %,d/%,d bytes  %.1f MB/s%n",
                      n,
                      uploads.size(),
                      d,
                      totalBytes,
                      d / 1e6 / Math.max(s, 1e-3));
                  return entry;
                }));
      }
      List<ReleaseManifest.FileEntry> entries = new ArrayList<>();
      for (Future<ReleaseManifest.FileEntry> f : pending) {
        entries.add(get(f));
      }
      entries.sort(Comparator.comparing(ReleaseManifest.FileEntry::path));
      return entries;
    } finally {
      pool.shutdownNow();
    }
  }

  private ReleaseManifest.FileEntry upload(Storage storage, String dest, String rel, Path file)
      throws IOException {
    String sha = Sha256.of(file);
    long size = Files.size(file);
    if (storage instanceof S3Storage s3) {
      s3.upload(dest, file);
    } else {
      try (OutputStream o = storage.create(dest)) {
        Files.copy(file, o);
      }
    }
    return new ReleaseManifest.FileEntry(rel, size, sha);
  }

  /** Something that may fail transiently. */
  private interface Attempt<T> {
    T run() throws IOException;
  }

  /** Runs {@code a} up to {@value #ATTEMPTS} times with exponential backoff (0.5, 1, 2 s). */
  private <T> T withRetries(String what, Attempt<T> a) throws IOException {
    IOException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        return a.run();
      } catch (IOException | RuntimeException e) {
        if (e instanceof FileNotFoundException || e instanceof ReleaseExistsException) {
          throw (IOException) e;
        }
        last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        if (i + 1 < ATTEMPTS) {
          log.printf("[release] %s failed (%s); retrying%n", what, e.getMessage());
          try {
            Thread.sleep(500L << i);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ie);
          }
        }
      }
    }
    throw new IOException(
        what + " failed after " + ATTEMPTS + " attempts: " + last.getMessage(), last);
  }

  private static <T> T get(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Reads a release's manifest; a release without one is refused. */
  public ReleaseManifest manifest(String release) throws IOException {
    String file = release.replaceAll("/+$", "") + "/" + ReleaseManifest.FILE;
    try (Storage s = Storage.forPath(file, config);
        InputStream in = s.open(file)) {
      return ReleaseManifest.read(in, file);
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(
          release + " is not a release: it has no manifest.json (an incomplete upload?)");
    }
  }

  /** One release found under a root. */
  public record Listed(String path, ReleaseManifest manifest) {}

  /** Every complete release under {@code root} (those with a manifest), by name then version. */
  public List<Listed> list(String root) throws IOException {
    String r = root.replaceAll("/+$", "");
    List<Listed> out = new ArrayList<>();
    try (Storage s = Storage.forPath(r, config)) {
      for (StorageEntry e : s.list(r)) {
        String rel = e.path().substring(e.path().indexOf(r) + r.length() + 1);
        String[] parts = rel.split("/");
        if (parts.length == 3 && parts[2].equals(ReleaseManifest.FILE)) {
          String release = r + "/" + parts[0] + "/" + parts[1];
          out.add(new Listed(release, manifest(release)));
        }
      }
    }
    return out;
  }

  /** The outcome of {@link #verify}: problems is empty when every file is as the manifest says. */
  public record Verification(String path, int files, long bytes, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Re-reads every file of a release and checks its size and sha256 against the manifest. */
  public Verification verify(String release) throws IOException {
    ReleaseManifest m = manifest(release);
    String root = release.replaceAll("/+$", "");
    List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try (Storage s = Storage.forPath(root, config)) {
      List<Future<?>> pending = new ArrayList<>();
      for (ReleaseManifest.FileEntry f : m.files()) {
        pending.add(
            pool.submit(
                () -> {
                  String p = root + "/" + f.path();
                  try (InputStream in = s.open(p)) {
                    Digest d = digest(in, OutputStream.nullOutputStream());
                    bytes.addAndGet(d.bytes());
                    if (!d.matches(f)) {
                      problems.add(f.path() + ": " + d.against(f));
                    }
                  } catch (FileNotFoundException e) {
                    problems.add(f.path() + ": missing");
                  }
                  return null;
                }));
      }
      for (Future<?> f : pending) {
        get(f);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> sorted = new ArrayList<>(problems);
    sorted.sort(null);
    return new Verification(root, m.files().size(), bytes.get(), sorted);
  }

  /**
   * Downloads a release into {@code dir/<name>/<version>}, verifying every file; nothing appears
   * there unless all files are right.
   */
  public Path fetch(String release, Path dir) throws IOException {
    ReleaseManifest m = manifest(release);
    String root = release.replaceAll("/+$", "");
    Path target = dir.resolve(m.name()).resolve(m.version());
    if (Files.exists(target)) {
      throw new IOException(target + " already exists; fetch into another directory");
    }
    Files.createDirectories(target.getParent());
    Path tmp = target.getParent().resolve("." + m.version() + ".fetch-" + UUID.randomUUID());
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
    try (Storage s = Storage.forPath(root, config)) {
      List<Future<?>> pending = new ArrayList<>();
      for (ReleaseManifest.FileEntry f : m.files()) {
        pending.add(
            pool.submit(
                () ->
                    withRetries(
                        "fetch " + f.path(),
                        () -> download(s, root + "/" + f.path(), tmp.resolve(f.path()), f))));
      }
      for (Future<?> f : pending) {
        get(f);
      }
      Files.write(tmp.resolve(ReleaseManifest.FILE), m.toJson());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      pool.shutdownNow();
      try (Storage local = Storage.forPath(tmp.toString(), StorageConfig.defaults())) {
        local.delete(tmp.toString()); // whatever a failed fetch left
      }
    }
  }

  private static Path download(Storage s, String from, Path to, ReleaseManifest.FileEntry f)
      throws IOException {
    Files.createDirectories(to.getParent());
    Digest d;
    try (InputStream in = s.open(from);
        OutputStream out = Files.newOutputStream(to)) {
      d = digest(in, out);
    }
    if (!d.matches(f)) {
      Files.deleteIfExists(to);
      throw new IOException("release file " + from + " is corrupt: " + d.against(f));
    }
    return to;
  }

  /** What was read: its size and SHA-256. */
  private record Digest(long bytes, String sha256) {
    boolean matches(ReleaseManifest.FileEntry f) {
      return bytes == f.bytes() && sha256.equals(f.sha256());
    }

    String against(ReleaseManifest.FileEntry f) {
      return bytes
          + " bytes, sha256 "
          + sha256
          + "; manifest says "
          + f.bytes()
          + " bytes, sha256 "
          + f.sha256();
    }
  }

  private static Digest digest(InputStream in, OutputStream out) throws IOException {
    MessageDigest sha = Sha256.digest();
    long n;
    try (DigestInputStream d = new DigestInputStream(in, sha)) {
      n = d.transferTo(out);
    }
    return new Digest(n, Sha256.hex(sha));
  }
}
