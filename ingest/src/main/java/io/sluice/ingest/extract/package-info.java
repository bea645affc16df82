/**
 * Main-text extraction from HTML: {@link io.sluice.ingest.extract.HtmlExtractor} keeps paragraphs,
 * headings, lists, code and tables and drops navigation, menus, footers and cookie notices; {@link
 * io.sluice.ingest.extract.ExtractionScore} measures it the way the trafilatura benchmark does.
 */
package io.sluice.ingest.extract;
