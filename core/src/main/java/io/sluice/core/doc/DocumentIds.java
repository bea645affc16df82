package io.sluice.core.doc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable document ids for sources that have none of their own: the first 128 bits of SHA-256 over
 * {@code source, locator, text} (NUL-separated), in hex. The same input always gives the same id,
 * on any machine and in any run, so re-ingesting a corpus keeps its ids.
 */
public final class DocumentIds {

  private DocumentIds() {}

  /**
   * @param source corpus name
   * @param locator url or path of the document within its source (may be empty)
   * @param text the document text
   */
  public static String of(String source, String locator, String text) {
    MessageDigest sha = sha256();
    sha.update(nullToEmpty(source).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(nullToEmpty(locator).getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha.digest();
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM must provide SHA-256", e);
    }
  }
}
