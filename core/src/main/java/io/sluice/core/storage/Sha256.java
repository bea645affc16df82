package io.sluice.core.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the checksum of every file Sluice publishes or serves (shard sidecars, release
 * manifests), as lower-case hex.
 */
public final class Sha256 {
  private Sha256() {}

  /** A fresh digest (every JVM has SHA-256). */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM must provide SHA-256", e);
    }
  }

  /** The hex of what {@code digest} has seen; resets it. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hex SHA-256 of some bytes. */
  public static String of(byte[] bytes) {
    MessageDigest d = digest();
    d.update(bytes);
    return hex(d);
  }

  /** The hex SHA-256 of a local file. */
  public static String of(Path file) throws IOException {
    MessageDigest d = digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return hex(d);
  }
}
