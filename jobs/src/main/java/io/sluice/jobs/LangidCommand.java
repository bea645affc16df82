package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.ingest.langid.LanguageGuess;
import io.sluice.ingest.langid.LanguageIdentifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice langid}: adds {@code lang} and {@code lang_score} to every JSONL line, in order.
 */
@Command(
    name = "langid",
    mixinStandardHelpOptions = true,
    description =
        "Identify the natural language of the text field of each JSONL line; adds lang (ISO 639-1,"
            + " und when unknown) and lang_score.")
public final class LangidCommand implements Callable<Integer> {

  @Mixin JsonlFileOptions files;

  @Override
  public Integer call() throws Exception {
    LanguageIdentifier identifier = LanguageIdentifier.load();
    long start = System.nanoTime();
    JsonlLineMapper.Result r =
        files
            .mapper()
            .map(
                files.input,
                files.output,
                node -> {
                  JsonNode text = node.get("text");
                  LanguageGuess g =
                      identifier.identify(text != null && text.isTextual() ? text.asText() : "");
                  node.put("lang", g.lang());
                  node.put("lang_score", g.score());
                  return node;
                });
    System.err.printf(
        "langid: %,d lines (%,d errors) in %.1f s -> %s%n",
        r.lines(), r.errors(), (System.nanoTime() - start) / 1e9, files.output);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new LangidCommand(), args));
  }
}
