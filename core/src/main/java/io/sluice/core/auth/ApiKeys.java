package io.sluice.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API keys a server accepts. Keys are kept only as SHA-256 digests and compared in constant
 * time ({@link MessageDigest#isEqual}) against the digest of the presented key, so neither timing
 * nor key length leaks, and {@link #toString()} shows only how many keys there are. Immutable and
 * thread-safe.
 */
public final class ApiKeys {

  /** Environment variable holding comma-separated keys, read when no key file is given. */
  public static final String ENV = "SLUICE_API_KEYS";

  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    if (digests.isEmpty()) {
      throw new IllegalArgumentException(
          "no API keys given (an empty key list would lock out all)");
    }
    this.digests = List.copyOf(digests);
  }

  /** Keys given directly (tests, embedding); blank entries are ignored. */
  public static ApiKeys of(List<String> keys) {
    List<byte[]> d = new ArrayList<>();
    for (String k : keys) {
      if (k != null && !k.isBlank()) {
        d.add(digest(k.strip()));
      }
    }
    return new ApiKeys(d);
  }

  /** One key per line; blank lines and lines starting with {@code #} are skipped. */
  public static ApiKeys read(Path file) throws IOException {
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        keys.add(line);
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("API key file " + file + " holds no keys");
    }
    return of(keys);
  }

  /** Keys from {@link #ENV} (comma-separated), or null when it is unset or blank. */
  public static ApiKeys fromEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return of(List.of(value.split(",")));
  }

  /** True when {@code presented} is one of the keys; runs in time independent of which. */
  public boolean accepts(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] d = digest(presented.strip());
    boolean ok = false;
    for (byte[] k : digests) {
      ok |= MessageDigest.isEqual(k, d); // no early exit: every key is compared
    }
    return ok;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " keys]";
  }
}
