package io.sluice.tokenization;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sluice's tiktoken models give jtokkit's ids ({@code encodeOrdinary}) on real text. */
class TiktokenExactnessTest {
  private static List<SharedCorpus.Group> corpus;

  @BeforeAll
  static void loadCorpus() {
    corpus = SharedCorpus.load(48_000, 1_200);
  }

  @Test
  void cl100kMatchesJtokkit() {
    check("cl100k_base", EncodingType.CL100K_BASE);
  }

  @Test
  void o200kMatchesJtokkit() {
    check("o200k_base", EncodingType.O200K_BASE);
  }

  private static void check(String name, EncodingType type) {
    Encoding reference = Encodings.newDefaultEncodingRegistry().getEncoding(type);
    ExactnessSupport.compare(
        Tokenizers.byName(name), text -> reference.encodeOrdinary(text).toArray(), corpus);
  }
}
