package io.sluice.tokenization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Compares a Sluice tokenizer with a reference on a corpus and reports mismatches readably. */
final class ExactnessSupport {
  private ExactnessSupport() {}

  static void compare(
      Tokenizer sluice, Function<String, int[]> reference, List<SharedCorpus.Group> corpus) {
    long docs = 0;
    long bytes = 0;
    long tokens = 0;
    List<String> failures = new ArrayList<>();
    for (SharedCorpus.Group g : corpus) {
      for (String doc : g.docs()) {
        int[] expected = reference.apply(doc);
        int[] actual = sluice.encode(doc);
        docs++;
        bytes += doc.getBytes(StandardCharsets.UTF_8).length;
        tokens += expected.length;
        if (!Arrays.equals(expected, actual)) {
          failures.add(describe(sluice, g.name(), doc, expected, actual));
        } else if (!sluice.decode(actual).equals(doc) && !isNfcModel(sluice, doc)) {
          failures.add(g.name() + ": round trip differs for " + abbreviate(doc));
        }
      }
    }
    System.out.printf(
        "exactness %s: %d documents, %d bytes, %d tokens, %d groups, %d mismatches%n",
        sluice.name(), docs, bytes, tokens, corpus.size(), failures.size());
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " mismatches, first: "
              + String.join("\n", failures.subList(0, Math.min(3, failures.size()))));
    }
    assertEquals(0, failures.size());
  }

  private static boolean isNfcModel(Tokenizer t, String doc) {
    return t.name().equals("qwen3")
        && !java.text.Normalizer.isNormalized(doc, java.text.Normalizer.Form.NFC);
  }

  private static String describe(
      Tokenizer t, String group, String doc, int[] expected, int[] actual) {
    int i = 0;
    while (i < Math.min(expected.length, actual.length) && expected[i] == actual[i]) {
      i++;
    }
    int from = Math.max(0, i - 3);
    return String.format(
        "%s: first difference at token %d: expected %s vs actual %s (%s vs %s) in %s",
        group,
        i,
        Arrays.toString(Arrays.copyOfRange(expected, from, Math.min(expected.length, i + 4))),
        Arrays.toString(Arrays.copyOfRange(actual, from, Math.min(actual.length, i + 4))),
        abbreviate(t.decode(Arrays.copyOfRange(expected, from, Math.min(expected.length, i + 4)))),
        abbreviate(t.decode(Arrays.copyOfRange(actual, from, Math.min(actual.length, i + 4)))),
        abbreviate(doc));
  }

  static String abbreviate(String s) {
    String e = s.length() > 120 ? s.substring(0, 120) + "…" : s;
    return "\"" + e.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
  }
}
