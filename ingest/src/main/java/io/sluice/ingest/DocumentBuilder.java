package io.sluice.ingest;

import io.sluice.core.doc.Document;
import io.sluice.core.doc.DocumentIds;
import io.sluice.core.doc.Quarantined;
import io.sluice.ingest.code.CodeLanguages;
import io.sluice.ingest.extract.HtmlExtractor;
import io.sluice.ingest.langid.LanguageGuess;
import io.sluice.ingest.langid.LanguageIdentifier;
import io.sluice.ingest.normalize.TextNormalizer;
import io.sluice.ingest.read.RawDocument;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link RawDocument} into a {@link Document}: main-text extraction for HTML, normalisation
 * (valid UTF-16, no control characters, NFC), language identification (natural language for web
 * text, programming language for code) and a stable id. A record that ends up with no text is
 * quarantined as {@code no_text}.
 *
 * <p>Thread-safe: the extractor and identifier it holds are.
 */
public final class DocumentBuilder {

  /** Either a document or the reason there is none. Exactly one of the two is non-null. */
  public record Outcome(Document document, Quarantined quarantined) {}

  private final HtmlExtractor extractor;
  private final LanguageIdentifier identifier;

  public DocumentBuilder(HtmlExtractor extractor, LanguageIdentifier identifier) {
    this.extractor = extractor;
    this.identifier = identifier;
  }

  public Outcome build(RawDocument raw) {
    if (!Document.KIND_WEB.equals(raw.kind()) && !Document.KIND_CODE.equals(raw.kind())) {
      return new Outcome(
          null,
          new Quarantined(
              raw.sourceFile(),
              raw.offset(),
              raw.index(),
              "bad_field",
              "field 'kind' must be 'web' or 'code', got '" + raw.kind() + "'",
              locator(raw)));
    }
    String text;
    if (raw.content() instanceof RawDocument.Text t) {
      text = t.text();
    } else if (raw.content() instanceof RawDocument.Html h) {
      text = extractor.extract(h.html());
    } else {
      RawDocument.HtmlBytes b = (RawDocument.HtmlBytes) raw.content();
      text = extractor.extract(b.html(), b.charset());
    }
    TextNormalizer.Normalized normalized = TextNormalizer.normalize(text);
    String clean = normalized.text();
    if (clean.isBlank()) {
      boolean html = !(raw.content() instanceof RawDocument.Text);
      return new Outcome(
          null,
          new Quarantined(
              raw.sourceFile(),
              raw.offset(),
              raw.index(),
              "no_text",
              html
                  ? "no main text found in " + raw.content().bytes() + " bytes of HTML"
                  : "text is empty or blank",
              locator(raw)));
    }
    Map<String, String> meta = new LinkedHashMap<>(raw.meta());
    if (normalized.repaired() > 0) {
      meta.put("chars_repaired", Integer.toString(normalized.repaired()));
    }
    String lang;
    Float score;
    if (Document.KIND_CODE.equals(raw.kind())) {
      lang =
          raw.langHint() != null
              ? raw.langHint().toLowerCase(Locale.ROOT)
              : CodeLanguages.detect(
                      raw.path() == null ? "" : raw.path(),
                      clean.substring(0, Math.min(16384, clean.length())))
                  .orElse(Document.UNDETERMINED);
      score = 1.0f;
    } else {
      LanguageGuess guess = identifier.identify(clean);
      lang = guess.lang();
      score = guess.score();
      if (raw.langHint() != null) {
        meta.put("source_lang", raw.langHint());
      }
    }
    String id =
        raw.id() != null && !raw.id().isBlank()
            ? raw.id()
            : DocumentIds.of(raw.source(), raw.url() != null ? raw.url() : raw.path(), clean);
    return new Outcome(
        new Document(
            id,
            clean,
            raw.kind(),
            lang,
            score,
            raw.source(),
            raw.url(),
            raw.path(),
            raw.license(),
            raw.crawlDate(),
            meta),
        null);
  }

  private static String locator(RawDocument raw) {
    return raw.url() != null
        ? raw.url()
        : raw.path() != null ? raw.path() : raw.id() == null ? "" : raw.id();
  }
}
