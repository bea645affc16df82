package io.sluice.filtering.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.filtering.signals.Signals;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetTest {

  private static final String PROSE =
      String.join(
          "\n",
          "The history of the river valley is long and well documented by local scholars.",
          "Early settlers arrived in the spring and built their houses close to the water.",
          "They farmed the land, traded with neighbours, and kept careful records of the harvest.",
          "Over time the village grew into a market town with a church, a school and a mill.",
          "Today the town is known for its museum, which tells the story of those first families.",
          "Visitors can walk along the old towpath and see the locks that once carried the"
              + " barges.");

  @Test
  void cleanProsePassesEveryWebRule() {
    RuleSet rules = RuleSet.defaults();
    assertEquals(List.of(), rules.failures("web", "en", Signals.of(PROSE, "web", "en")));
  }

  @Test
  void repetitiveAndShortTextsFailTheRightRules() {
    RuleSet rules = RuleSet.defaults();
    List<String> spam =
        rules.failures("web", "en", Signals.of("buy now cheap pills\n".repeat(40), "web", "en"));
    assertTrue(
        spam.contains("gopher_dup_line_frac") && spam.contains("gopher_top_2gram"),
        spam.toString());
    List<String> tiny = rules.failures("web", "en", Signals.of("Hello world.", "web", "en"));
    assertTrue(tiny.contains("gopher_min_words"), tiny.toString());
    List<String> lorem =
        rules.failures(
            "web", "en", Signals.of(PROSE + "\nLorem ipsum dolor sit amet.", "web", "en"));
    assertEquals(List.of("c4_lorem_ipsum"), lorem);
  }

  @Test
  void languageAwareRulesSkipWhereTheyDoNotTransfer() {
    RuleSet rules = RuleSet.defaults();
    String zh = "这条河谷的历史悠久，当地学者对此有详细的记载。早期定居者在春天到达，并在水边建造了房屋。".repeat(3);
    List<String> failed = rules.failures("web", "zh", Signals.of(zh, "web", "zh"));
    assertTrue(failed.stream().noneMatch(r -> r.contains("word_length")), failed.toString());
    assertTrue(
        failed.stream().noneMatch(r -> r.equals("gopher_stop_words")),
        "undefined signal never fails");
  }

  @Test
  void codeRules() {
    RuleSet rules = RuleSet.defaults();
    String minified = "var a=function(b){return b*2};".repeat(100);
    List<String> failed =
        rules.failures("code", "javascript", Signals.of(minified, "code", "javascript"));
    assertTrue(
        failed.contains("code_max_line_length") && failed.contains("code_mean_line_length"),
        failed.toString());
    String ok = "// Adds one.\nfunction inc(x) {\n  return x + 1;\n}\n";
    assertEquals(
        List.of(), rules.failures("code", "javascript", Signals.of(ok, "code", "javascript")));
  }

  @Test
  void rulesCanBeDisabledOrRetunedByName() {
    RuleSet rules =
        RuleSet.defaults()
            .without(List.of("gopher_min_words"))
            .withThreshold("c4_min_sentences", 1);
    assertEquals(
        List.of(),
        rules.failures("web", "en", Signals.of("Hello there, world.", "web", "en")).stream()
            .filter(r -> r.equals("gopher_min_words") || r.equals("c4_min_sentences"))
            .toList());
    assertThrows(IllegalArgumentException.class, () -> RuleSet.defaults().without(List.of("nope")));
  }
}
