package io.sluice.bench;

import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import io.sluice.ingest.langid.LanguageIdentifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase "langid": {@link LanguageIdentifier#identify} over extracted main texts, in MB of text
 * (UTF-8) per second. It scores a bounded sample of each text, so MB/s over whole texts grows with
 * text length; the like-for-like comparison is on {@value #PREFIX_CHARS}-character prefixes of a
 * subset of {@value #SUBSET} texts spread evenly over all of them, where the anchor, Lingua 1.2.2
 * in low-accuracy mode over all its languages, runs too (about 0.25 MB/s per core by STACK.md, so
 * it gets only that subset).
 */
final class LanguageId {

  static final int PREFIX_CHARS = 2000;
  static final int SUBSET = 300;

  /**
   * Passes over the subset per timed pass of the Sluice identifier, so a pass lasts long enough to
   * time.
   */
  private static final int SUBSET_REPEATS = 20;

  private final List<String> texts;
  private final List<String> prefixes;
  private final LanguageIdentifier identifier = LanguageIdentifier.load();
  private final LanguageDetector lingua =
      LanguageDetectorBuilder.fromAllLanguages().withLowAccuracyMode().build();

  /**
   * @param texts extracted main texts; empty ones are left out
   */
  LanguageId(List<String> texts) {
    this.texts = texts.stream().filter(t -> !t.isBlank()).toList();
    List<String> subset = new ArrayList<>();
    int n = Math.min(SUBSET, this.texts.size());
    for (int i = 0; i < n; i++) {
      subset.add(prefix(this.texts.get((int) ((long) i * this.texts.size() / n))));
    }
    this.prefixes = List.copyOf(subset);
  }

  /**
   * The whole-text workload, measured on its own: it needs more rounds than a Lingua pass can
   * afford.
   */
  Workload wholeTexts() {
    return new Workload(
        "langid",
        "LanguageIdentifier, whole texts",
        SharedData.utf8Bytes(texts),
        1,
        String.format(
            "MB of extracted text (UTF-8), %,d texts; work per text is bounded by its sample",
            texts.size()),
        () -> identifyAll(texts, 1));
  }

  /** Sluice and Lingua on the same prefixes, to be measured side by side. */
  List<Workload> prefixWorkloads() {
    long bytes = SharedData.utf8Bytes(prefixes);
    String notes =
        String.format(
            "%d texts' %d-char prefixes (%.2f MB)", prefixes.size(), PREFIX_CHARS, bytes / 1e6);
    return List.of(
        new Workload(
            "langid",
            "LanguageIdentifier, prefixes",
            bytes * SUBSET_REPEATS,
            1,
            notes + " x " + SUBSET_REPEATS + " per pass",
            () -> identifyAll(prefixes, SUBSET_REPEATS)),
        new Workload(
            "langid", "Lingua 1.2.2 low accuracy (anchor)", bytes, 1, notes, this::linguaPass));
  }

  private long identifyAll(List<String> input, int repeats) {
    long hash = 0;
    for (int r = 0; r < repeats; r++) {
      for (String t : input) {
        hash += identifier.identify(t).lang().hashCode();
      }
    }
    Passes.consume(hash);
    return (long) input.size() * repeats;
  }

  private long linguaPass() {
    long hash = 0;
    for (String t : prefixes) {
      hash += lingua.detectLanguageOf(t).ordinal();
    }
    Passes.consume(hash);
    return prefixes.size();
  }

  private static String prefix(String text) {
    if (text.length() <= PREFIX_CHARS) {
      return text;
    }
    int end =
        Character.isHighSurrogate(text.charAt(PREFIX_CHARS - 1)) ? PREFIX_CHARS - 1 : PREFIX_CHARS;
    return text.substring(0, end);
  }
}
