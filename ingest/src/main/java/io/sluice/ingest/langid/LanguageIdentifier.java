package io.sluice.ingest.langid;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fast n-gram language identifier over a bounded sample of each text.
 *
 * <p>How it decides: up to {@value Sampler#MAX_WHOLE} chars are sampled from several places in the
 * text (see {@link Sampler}); the dominant script of the sampled letters picks the candidate
 * languages (Hangul: Korean; Han/Kana: Chinese or Japanese; Cyrillic: Russian, Ukrainian, ...);
 * then a naive-Bayes score over hashed character 1- to 4-grams chooses among the candidates. The
 * model is derived from Lingua's n-gram frequency tables (Apache-2.0), see the README beside {@code
 * langid-model.bin}.
 *
 * <p>Invariants: {@link #identify} never throws for any input and returns either a supported ISO
 * 639-1 code or {@code "und"}, with a score in [0, 1]. Work per call is bounded by the sample size,
 * so a 50 MB document costs the same as a 4 KB one.
 *
 * <p>Thread-safety: immutable once loaded; one instance (about 12 MB of heap) should be shared by
 * all threads. Each call allocates only a few small scratch arrays.
 */
public final class LanguageIdentifier {
  private final LanguageModel model;
  private final Set<String> languages;

  LanguageIdentifier(LanguageModel model) {
    this.model = model;
    this.languages = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(model.codes)));
  }

  /**
   * Loads the model bundled in this jar. Takes a few hundred milliseconds; call once and share.
   *
   * @throws IllegalStateException naming the resource if it is missing or fails its checksum
   */
  public static LanguageIdentifier load() {
    return new LanguageIdentifier(LanguageModel.loadBundled());
  }

  /**
   * The bundled model, loaded once per JVM on first use and shared: what Spark tasks use, so an
   * executor running thousands of tasks loads it once. Immutable, so sharing is safe.
   */
  public static LanguageIdentifier shared() {
    return Shared.INSTANCE;
  }

  /** Holder idiom: the JVM initialises this class (and loads the model) on first access, once. */
  private static final class Shared {
    static final LanguageIdentifier INSTANCE = load();
  }

  /**
   * Identifies the language of {@code text}. Null, empty, digit-only, emoji-only and other
   * letterless texts give {@code und}; so do texts whose letters are in scripts no supported
   * language uses.
   */
  public LanguageGuess identify(CharSequence text) {
    if (text == null || text.length() == 0) {
      return LanguageGuess.UNKNOWN;
    }
    try {
      return new Scorer(model, text, Sampler.windows(text)).run();
    } catch (RuntimeException e) {
      // Defensive: a CharSequence whose length changes under us (a mutable builder shared with
      // another thread) can throw from charAt; callers were promised identify never throws.
      return LanguageGuess.UNKNOWN;
    }
  }

  /** The ISO 639-1 codes this identifier can return (besides {@code und}). */
  public Set<String> languages() {
    return languages;
  }
}
