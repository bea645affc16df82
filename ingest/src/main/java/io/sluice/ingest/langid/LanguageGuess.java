package io.sluice.ingest.langid;

import java.util.Objects;

/**
 * Result of {@link LanguageIdentifier#identify(CharSequence)}.
 *
 * @param lang ISO 639-1 code (for example {@code en}, {@code zh}, {@code nb}), or {@value #UND}
 *     when the text has too little signal or is in a script no supported language uses
 * @param score confidence in [0, 1]: the winner's posterior among the candidate languages of the
 *     text's dominant script, scaled down for very short texts; 0 for {@value #UND}
 */
public record LanguageGuess(String lang, float score) {
  /** Code for "unknown or too little signal". */
  public static final String UND = "und";

  static final LanguageGuess UNKNOWN = new LanguageGuess(UND, 0f);

  public LanguageGuess {
    Objects.requireNonNull(lang, "lang");
    if (!(score >= 0f && score <= 1f)) {
      throw new IllegalArgumentException("score must be in [0,1], was " + score);
    }
  }

  /** True unless this is the {@value #UND} guess. */
  public boolean known() {
    return !UND.equals(lang);
  }
}
