package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code encode} and {@code decode} through stdin and stdout, as acceptance checks use them. */
class EncodeDecodeTest {

  private static CliRun.Result withStdin(String stdin, String... args) {
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return CliRun.run(args);
    } finally {
      System.setIn(old);
    }
  }

  @Test
  void roundTripsEveryBundledTokenizer() {
    String text = "Grüße aus Köln! 東京は晴れ 🙂\n    def f(x): return x  # code\n";
    for (String name : new String[] {"cl100k_base", "o200k_base", "llama3", "qwen3"}) {
      CliRun.Result enc = withStdin(text, "encode", "--tokenizer", name);
      assertEquals(0, enc.code(), enc.err());
      String ids = enc.out().strip();
      assertTrue(ids.startsWith("[") && ids.endsWith("]") && ids.length() > 10, ids);
      CliRun.Result dec = withStdin(ids, "decode", "--tokenizer", name);
      assertEquals(0, dec.code(), dec.err());
      assertEquals(text, dec.out(), name);
    }
    assertEquals(
        "[9906,1917]",
        withStdin("Hello world", "encode", "--tokenizer", "cl100k_base").out().strip());
  }

  @Test
  void unknownTokenizerIsAClearError() {
    CliRun.Result r = withStdin("x", "encode", "--tokenizer", "gpt-9");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no bundled tokenizer named 'gpt-9'"), r.err());
  }
}
