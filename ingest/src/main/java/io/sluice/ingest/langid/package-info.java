/**
 * Natural-language identification for web text: {@link io.sluice.ingest.langid.LanguageIdentifier},
 * a naive-Bayes n-gram model over 75 languages (derived from Lingua's models) applied to a bounded
 * sample of each text, after script detection.
 */
package io.sluice.ingest.langid;
