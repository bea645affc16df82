package io.sluice.filtering.signals;

import java.util.Map;
import java.util.Set;

/**
 * Function words whose presence marks running prose. English is Gopher's list (the, be, to, of,
 * and, that, have, with); the others are the equally common function words of each language.
 * Languages without a list get no stop-word signal (null), rather than a wrong one.
 */
public final class StopWords {

  private static final Map<String, Set<String>> BY_LANG =
      Map.ofEntries(
          Map.entry("en", Set.of("the", "be", "to", "of", "and", "that", "have", "with")),
          Map.entry(
              "de", Set.of("der", "die", "das", "und", "ist", "nicht", "mit", "zu", "von", "den")),
          Map.entry(
              "fr", Set.of("le", "la", "les", "de", "et", "est", "que", "des", "une", "pour")),
          Map.entry("es", Set.of("el", "la", "de", "que", "y", "en", "los", "se", "las", "por")),
          Map.entry("it", Set.of("il", "di", "che", "e", "la", "per", "un", "non", "una", "sono")),
          Map.entry("pt", Set.of("o", "a", "de", "que", "e", "do", "da", "em", "um", "para")),
          Map.entry(
              "nl", Set.of("de", "het", "een", "en", "van", "is", "dat", "niet", "met", "voor")),
          Map.entry("pl", Set.of("i", "w", "nie", "na", "to", "jest", "się", "z", "że", "do")),
          Map.entry("ru", Set.of("и", "в", "не", "на", "что", "с", "по", "это", "как", "для")),
          Map.entry("sv", Set.of("och", "att", "det", "som", "en", "på", "är", "av", "för", "med")),
          Map.entry("nb", Set.of("og", "i", "det", "som", "en", "på", "er", "av", "for", "med")),
          Map.entry("da", Set.of("og", "i", "det", "at", "en", "på", "er", "af", "for", "med")),
          Map.entry("cs", Set.of("a", "v", "se", "na", "je", "že", "to", "s", "z", "do")),
          Map.entry("ro", Set.of("și", "de", "la", "în", "a", "cu", "că", "pe", "nu", "este")),
          Map.entry(
              "tr", Set.of("ve", "bir", "bu", "da", "de", "için", "ile", "çok", "olarak", "gibi")),
          Map.entry(
              "id",
              Set.of("yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "tidak", "ke")),
          Map.entry("ca", Set.of("el", "la", "de", "que", "i", "a", "per", "els", "amb", "no")),
          Map.entry(
              "vi",
              Set.of("và", "của", "là", "có", "được", "các", "cho", "không", "trong", "này")));

  private StopWords() {}

  /** The list for an ISO 639-1 code, or null when Sluice has none for it. */
  public static Set<String> of(String lang) {
    return lang == null ? null : BY_LANG.get(lang);
  }
}
