package io.sluice.ingest.extract;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Main-text extractor for web pages: drops boilerplate (navigation, headers and footers, sidebars,
 * cookie notices, share buttons, comments, related-article lists, ads) and returns the article
 * text.
 *
 * <p>Output invariants: paragraphs, headings, {@code <pre>} blocks and tables are separated by a
 * blank line, list items and table rows sit on their own lines, table cells are separated by a tab;
 * inline whitespace is collapsed (except inside {@code <pre>}); the result is trimmed and is {@code
 * ""} when the page has no main text. Work is linear in the size of the document: one parse, one
 * flattening walk, and a few passes over flat arrays.
 *
 * <p>Stateless and thread-safe: all per-page state lives in objects created by each call.
 */
public final class HtmlExtractor {

  /** Creates an extractor with the default options. */
  public HtmlExtractor() {}

  /**
   * Extracts the main text of an already decoded HTML page.
   *
   * @param html the page; null or blank gives {@code ""}
   * @return the main text, {@code ""} when there is none
   */
  public String extract(String html) {
    if (html == null || html.isBlank()) {
      return "";
    }
    Document doc = Jsoup.parse(html);
    Element root = doc.body() != null ? doc.body() : doc;
    PageModel model = DomFlattener.flatten(root);
    Selection selection = new ContentSelector(model).select();
    return TextAssembler.join(model.blocks, selection).strip();
  }

  /**
   * Decodes and extracts a raw page. Charset precedence: byte-order mark, then {@code
   * declaredCharset}, then a {@code <meta charset>} or {@code http-equiv} declaration, then UTF-8.
   * Bytes that are invalid in that charset become U+FFFD; this never throws on bad bytes.
   *
   * @param html the raw bytes; null or empty gives {@code ""}
   * @param declaredCharset charset label from the HTTP Content-Type header, or null
   * @return the main text, {@code ""} when there is none
   */
  public String extract(byte[] html, String declaredCharset) {
    return extract(CharsetSniffer.decode(html, declaredCharset));
  }
}
