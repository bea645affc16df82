package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.tokenization.Tokenizers;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice decode}: a JSON array of token ids on stdin back to text. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = "Decode a JSON array of token ids from stdin; prints the text.")
public final class DecodeCommand implements Callable<Integer> {

  @Option(
      names = "--tokenizer",
      required = true,
      paramLabel = "NAME|PATH",
      description = "as for encode")
  String tokenizer;

  @Override
  public Integer call() throws Exception {
    JsonNode node = new ObjectMapper().readTree(System.in);
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException("stdin must hold one JSON array of token ids");
    }
    int[] ids = new int[node.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode v = node.get(i);
      if (!v.canConvertToInt()) {
        throw new IllegalArgumentException(
            "element " + i + " of the array is not an int32 token id: " + v);
      }
      ids[i] = v.intValue();
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    out.print(Tokenizers.byNameOrPath(tokenizer).decode(ids));
    out.flush();
    return 0;
  }
}
