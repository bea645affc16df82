package io.sluice.bench;

import io.sluice.ingest.extract.HtmlExtractor;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Phase "extract": {@link HtmlExtractor#extract(String)} over decoded HTML pages held in memory
 * (the trafilatura evaluation set and the Debian handbook), throughput in MB of HTML as UTF-8 per
 * second. Anchor: jsoup's parse plus {@code body().text()}, all the text of the page, which any
 * DOM-based extractor pays at least for the parse.
 */
final class Extraction {

  /**
   * Untimed passes before measuring. Each pass is about 170 MB of HTML; jsoup reaches its steady
   * speed after about 0.5 GB (STACK.md), so three passes.
   */
  static final int WARMUPS = 3;

  private final List<String> pages;
  private final long htmlBytes;
  private final String corpora;
  private final HtmlExtractor extractor = new HtmlExtractor();

  /**
   * @param pages decoded HTML pages
   * @param corpora what the pages are, for the notes column
   */
  Extraction(List<String> pages, String corpora) {
    this.pages = List.copyOf(pages);
    this.htmlBytes = SharedData.utf8Bytes(pages);
    this.corpora = corpora;
  }

  long htmlBytes() {
    return htmlBytes;
  }

  /** The main text of every page, in page order, empty strings included. */
  List<String> extractAll() {
    List<String> texts = new ArrayList<>(pages.size());
    for (String html : pages) {
      texts.add(extractor.extract(html));
    }
    return texts;
  }

  List<Workload> workloads() {
    String notes =
        String.format(
            "MB of HTML (UTF-8); %s, %,d pages, %.0f MB", corpora, pages.size(), htmlBytes / 1e6);
    return List.of(
        new Workload("extract", "HtmlExtractor.extract", htmlBytes, 1, notes, this::extractPass),
        new Workload(
            "extract",
            "jsoup parse + body().text() (anchor)",
            htmlBytes,
            1,
            "all page text, no boilerplate removal; same pages",
            this::jsoupPass));
  }

  private long extractPass() {
    long chars = 0;
    for (String html : pages) {
      chars += extractor.extract(html).length();
    }
    Passes.consume(chars);
    return pages.size();
  }

  private long jsoupPass() {
    long chars = 0;
    for (String html : pages) {
      Document doc = Jsoup.parse(html);
      chars += doc.body() == null ? 0 : doc.body().text().length();
    }
    Passes.consume(chars);
    return pages.size();
  }
}
