package io.sluice.ingest.extract;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes raw HTML bytes to a string: BOM, then the declared (HTTP) charset, then a {@code <meta
 * charset>} / {@code http-equiv} declaration in the first bytes, then UTF-8.
 *
 * <p>Labels are mapped the way browsers map them (WHATWG Encoding), because pages are written for
 * browsers: "iso-8859-1" really means windows-1252, "gb2312" really means GBK/GB18030, and so on.
 * Decoding never throws; bytes invalid in the chosen charset become U+FFFD.
 */
final class CharsetSniffer {
  /** The HTML spec prescans 1024 bytes; many real pages put the meta tag a little later. */
  private static final int PRESCAN_BYTES = 4096;

  private CharsetSniffer() {}

  static String decode(byte[] html, String declaredCharset) {
    if (html == null || html.length == 0) {
      return "";
    }
    int bomLength = bomLength(html);
    if (bomLength > 0) {
      Charset bomCharset =
          bomLength == 3
              ? StandardCharsets.UTF_8
              : (html[0] == (byte) 0xFE ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
      return new String(html, bomLength, html.length - bomLength, bomCharset);
    }
    Charset charset = lookup(declaredCharset, false);
    if (charset == null) {
      charset = lookup(sniffMeta(html), true);
    }
    if (charset == null) {
      charset = StandardCharsets.UTF_8;
    }
    // String(byte[], Charset) always substitutes malformed input, unlike a default CharsetDecoder
    return new String(html, charset);
  }

  private static int bomLength(byte[] b) {
    if (b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) {
      return 3;
    }
    if (b.length >= 2
        && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF)
            || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
      return 2;
    }
    return 0;
  }

  /**
   * Finds {@code charset=LABEL} inside a {@code <meta} tag of the first bytes. Reading the bytes as
   * Latin-1 is safe because every charset a page can declare in a meta tag is ASCII-compatible.
   */
  static String sniffMeta(byte[] html) {
    int len = Math.min(html.length, PRESCAN_BYTES);
    String head = new String(html, 0, len, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int from = 0;
    while (true) {
      int meta = head.indexOf("<meta", from);
      if (meta < 0) {
        return null;
      }
      int close = head.indexOf('>', meta);
      if (close < 0) {
        close = len;
      }
      int cs = head.indexOf("charset", meta);
      if (cs >= 0 && cs < close) {
        int i = cs + "charset".length();
        while (i < close && (head.charAt(i) == ' ' || head.charAt(i) == '=')) {
          i++;
        }
        while (i < close && (head.charAt(i) == '"' || head.charAt(i) == '\'')) {
          i++;
        }
        int start = i;
        while (i < close && isLabelChar(head.charAt(i))) {
          i++;
        }
        if (i > start) {
          return head.substring(start, i);
        }
      }
      from = close;
    }
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == ':';
  }

  /** Maps a charset label to a JDK charset, browser-style; null for unknown or unusable labels. */
  static Charset lookup(String label, boolean fromMeta) {
    if (label == null) {
      return null;
    }
    String l = label.trim().toLowerCase(Locale.ROOT);
    if (l.isEmpty()) {
      return null;
    }
    String name =
        switch (l) {
          case "iso-8859-1",
                  "iso8859-1",
                  "latin1",
                  "l1",
                  "ascii",
                  "us-ascii",
                  "cp1252",
                  "iso_8859-1",
                  "x-cp1252" ->
              "windows-1252";
          case "gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312", "euc-cn" -> "GB18030";
          case "shift_jis",
                  "shift-jis",
                  "sjis",
                  "x-sjis",
                  "ms_kanji",
                  "csshiftjis",
                  "ms932",
                  "cp932",
                  "windows-31j" ->
              "windows-31j";
          case "euc-kr", "ks_c_5601-1987", "ksc5601", "korean", "cp949", "windows-949" ->
              "x-windows-949";
          case "big5", "big5-hkscs", "x-x-big5", "cn-big5" -> "Big5-HKSCS";
          case "iso-8859-9", "latin5" -> "windows-1254";
          case "iso-8859-11", "tis-620" -> "x-windows-874";
          case "utf8", "unicode-1-1-utf-8" -> "UTF-8";
          default -> l;
        };
    // a meta tag claiming UTF-16 was necessarily read as ASCII-compatible bytes, so it lies
    if (fromMeta && name.startsWith("utf-16")) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.isSupported(name) ? Charset.forName(name) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
