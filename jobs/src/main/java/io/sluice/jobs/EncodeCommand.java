package io.sluice.jobs;

import io.sluice.tokenization.Tokenizer;
import io.sluice.tokenization.Tokenizers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice encode}: UTF-8 text on stdin to token ids, printed as one JSON array. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description =
        "Encode UTF-8 text from stdin with a tokenizer; prints the ids as one JSON array (no"
            + " BOS/EOS).")
public final class EncodeCommand implements Callable<Integer> {

  @Option(
      names = "--tokenizer",
      required = true,
      paramLabel = "NAME|PATH",
      description =
          "a bundled tokenizer (cl100k_base, o200k_base, llama3, qwen3) or a tokenizer.json path")
  String tokenizer;

  @Override
  public Integer call() throws Exception {
    Tokenizer t = Tokenizers.byNameOrPath(tokenizer);
    String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    int[] ids = t.encode(text);
    StringBuilder sb = new StringBuilder(ids.length * 6 + 2).append('[');
    for (int i = 0; i < ids.length; i++) {
      sb.append(i == 0 ? "" : ",").append(ids[i]);
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.println(sb.append(']'));
    out.flush();
    return 0;
  }
}
