package io.sluice.ingest.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HtmlExtractorTest {
  private static final String PARA1 =
      "The committee met on Tuesday to discuss the new budget, which includes "
          + "funding for schools, roads and public libraries across the whole region.";
  private static final String PARA2 =
      "After a long debate, the members agreed to postpone the final vote until "
          + "next month, citing the need for more detailed cost estimates from the city.";

  private final HtmlExtractor extractor = new HtmlExtractor();

  private static String page(String article) {
    return "<!doctype html><html><head><title>T</title><style>p{color:red}</style><script>var x ="
               + " 'script text';</script></head><body><header class='site-header'><a"
               + " href='/'>Logo</a><nav><ul><li><a href='/news'>News</a></li><li><a"
               + " href='/sport'>Sport</a></li><li><a"
               + " href='/weather'>Weather</a></li></ul></nav></header><div"
               + " class='cookie-banner'><p>We use cookies to improve your experience on our"
               + " website. By continuing you accept them.</p><button>Accept</button></div><div"
               + " id='main'><article>"
        + article
        + "</article><aside class='sidebar'><h3>Popular</h3><ul><li><a href='/a'>Some other story"
        + " about things</a></li><li><a href='/b'>Another story people clicked"
        + " on</a></li></ul></aside></div><div class='share-buttons'><a href='#'>Share on"
        + " Facebook</a> <a href='#'>Tweet this</a></div><footer><p>Copyright 2024 Example Corp."
        + " All rights reserved.</p><a href='/imprint'>Imprint</a></footer></body></html>";
  }

  @Test
  void dropsBoilerplateKeepsArticle() {
    String text =
        extractor.extract(page("<h1>Budget talks</h1><p>" + PARA1 + "</p><p>" + PARA2 + "</p>"));
    assertTrue(text.contains(PARA1), text);
    assertTrue(text.contains(PARA2), text);
    for (String junk :
        new String[] {
          "Logo",
          "Sport",
          "Weather",
          "cookies",
          "Accept",
          "Popular",
          "Another story",
          "Share on Facebook",
          "Copyright",
          "Imprint",
          "script text",
          "color:red"
        }) {
      assertFalse(text.contains(junk), () -> "kept '" + junk + "' in: " + text);
    }
    assertTrue(
        text.contains(PARA1 + "\n\n" + PARA2), "paragraphs separated by a blank line: " + text);
  }

  @Test
  void keepsHeadingsListsPreAndTablesWithLineBreaks() {
    String article =
        "<h2>Key points</h2><p>"
            + PARA1
            + "</p><ul><li>First <b>item</b></li><li>Second item</li>"
            + "</ul><p>"
            + PARA2
            + "</p><pre>int x = 1;\n"
            + "  int y = 2;</pre>"
            + "<table><tr><th>City</th><th>Budget</th></tr><tr><td>Springfield</td><td>1.2m</td></tr></table>";
    String text = extractor.extract(page(article));
    assertTrue(text.contains("Key points\n\n" + PARA1), text);
    assertTrue(text.contains("First item\nSecond item"), text);
    assertTrue(text.contains("int x = 1;\n  int y = 2;"), "pre keeps its layout: " + text);
    assertTrue(text.contains("City\tBudget\nSpringfield\t1.2m"), text);
  }

  @Test
  void lineBreaksAndInlineWhitespace() {
    String text =
        extractor.extract(
            page("<p>" + PARA1 + "<br>Second   line\n of   <i>it</i>.</p><p>" + PARA2 + "</p>"));
    assertTrue(text.contains("region.\nSecond line of it."), text);
  }

  @Test
  void hiddenElementsAreDropped() {
    String text =
        extractor.extract(
            page(
                "<p>"
                    + PARA1
                    + "</p><div style='display: none'>Invisible words</div>"
                    + "<p hidden>Also hidden</p><p>"
                    + PARA2
                    + "</p>"));
    assertFalse(text.contains("Invisible"), text);
    assertFalse(text.contains("Also hidden"), text);
    assertTrue(text.contains(PARA2), text);
  }

  @Test
  void windows1252FromMetaCharset() {
    String body =
        "Caf\u00e9 cr\u00e8me \u2013 \u201cquoted\u201d text, na\u00efve r\u00e9sum\u00e9 and more"
            + " words here.";
    byte[] bytes =
        ("<html><head><meta charset=\"windows-1252\"></head><body><p>"
                + body
                + "</p></body></html>")
            .getBytes(Charset.forName("windows-1252"));
    assertEquals(body, extractor.extract(bytes, null));
  }

  @Test
  void shiftJisFromHttpEquiv() {
    String body =
        "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\u3067\u3059\u3002\u4eca\u65e5\u306f"
            + "\u3044\u3044\u5929\u6c17\u3067\u3059\u306d\u3002";
    byte[] bytes =
        ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
                + "</head><body><p>"
                + body
                + "</p></body></html>")
            .getBytes(Charset.forName("Shift_JIS"));
    assertEquals(body, extractor.extract(bytes, null));
  }

  @Test
  void gbkFromMetaAndDeclaredCharsetWins() {
    String body =
        "\u4e2d\u6587\u7f51\u9875\u7684\u6b63\u6587\u5185\u5bb9\uff0c\u7f16\u7801\u662f"
            + "\u0047\u0042\u004b\u3002";
    byte[] gbk =
        ("<html><head><meta charset=gb2312></head><body><p>" + body + "</p></body></html>")
            .getBytes(Charset.forName("GBK"));
    assertEquals(body, extractor.extract(gbk, null));
    // the HTTP header outranks a (wrong) meta declaration
    byte[] utf8 =
        ("<html><head><meta charset=gb2312></head><body><p>" + body + "</p></body></html>")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(body, extractor.extract(utf8, "UTF-8"));
  }

  @Test
  void byteOrderMarkOutranksEverything() {
    String body = "Gr\u00fc\u00dfe aus K\u00f6ln, sch\u00f6ne Stra\u00dfe.";
    byte[] content =
        ("<html><head><meta charset=\"iso-8859-1\"></head><body><p>" + body + "</p></body></html>")
            .getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[content.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(content, 0, withBom, 3, content.length);
    assertEquals(body, extractor.extract(withBom, "windows-1252"));
  }

  @Test
  void charsetLabelsMapLikeBrowsers() {
    assertEquals(Charset.forName("windows-1252"), CharsetSniffer.lookup("ISO-8859-1", false));
    assertEquals(StandardCharsets.UTF_8, CharsetSniffer.lookup("utf-16", true));
    assertEquals(null, CharsetSniffer.lookup("no-such-charset!!", false));
    assertEquals(
        "utf-8",
        CharsetSniffer.sniffMeta("<meta charset='UTF-8'>".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void degenerateInputsDoNotThrow() {
    assertEquals("", extractor.extract(""));
    assertEquals("", extractor.extract((String) null));
    assertEquals("", extractor.extract(new byte[0], null));
    assertEquals("", extractor.extract((byte[]) null, "utf-8"));
    assertEquals("", extractor.extract("<html><head><title>Only a title</title></head></html>"));
    assertEquals("Just text", extractor.extract("Just text"));
    assertEquals("", extractor.extract("<html><body><script>x()</script></body></html>"));
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      byte[] garbage = new byte[random.nextInt(5000)];
      random.nextBytes(garbage);
      extractor.extract(garbage, i % 2 == 0 ? null : "bogus-charset");
      extractor.extract(garbage, "Shift_JIS");
    }
    // invalid UTF-8 becomes U+FFFD instead of failing
    byte[] invalid = {'<', 'p', '>', 'a', (byte) 0xC3, (byte) 0x28, 'b', '<', '/', 'p', '>'};
    assertEquals("a\uFFFD(b", extractor.extract(invalid, "utf-8"));
  }

  @Test
  void deeplyNestedPageDoesNotOverflow() {
    int depth = 100_000;
    StringBuilder sb = new StringBuilder(depth * 12 + 200);
    sb.append("<html><body>");
    sb.append("<div>".repeat(depth));
    sb.append("<p>").append(PARA1).append("</p>");
    sb.append("</div>".repeat(depth));
    sb.append("</body></html>");
    String text = extractor.extract(sb.toString());
    assertTrue(text.contains(PARA1), text.length() > 200 ? text.substring(0, 200) : text);
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    assertTrue(extractor.extract(bytes, null).contains(PARA1));
  }

  @Test
  void isStatelessAcrossCalls() {
    String a = extractor.extract(page("<p>" + PARA1 + "</p><p>" + PARA2 + "</p>"));
    extractor.extract(page("<p>something else entirely, with commas, and more words to score</p>"));
    assertArrayEquals(
        a.getBytes(StandardCharsets.UTF_8),
        extractor
            .extract(page("<p>" + PARA1 + "</p><p>" + PARA2 + "</p>"))
            .getBytes(StandardCharsets.UTF_8));
  }
}
