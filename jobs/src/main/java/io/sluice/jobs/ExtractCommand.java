package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.extract.HtmlExtractor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice extract}: main text of the {@code html} field of every JSONL line, in order. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description =
        "Extract the main text from HTML: each input line has html (and optionally id, url); each"
            + " output line has id, url and text.")
public final class ExtractCommand implements Callable<Integer> {

  @Mixin JsonlFileOptions files;

  @Override
  public Integer call() throws Exception {
    HtmlExtractor extractor = new HtmlExtractor();
    ObjectMapper json = new ObjectMapper();
    long start = System.nanoTime();
    JsonlLineMapper.Result r =
        files
            .mapper()
            .map(
                files.input,
                files.output,
                in -> {
                  ObjectNode out = json.createObjectNode();
                  copy(in, out, "id");
                  copy(in, out, "url");
                  JsonNode html = in.get("html");
                  if (html == null || !html.isTextual()) {
                    out.put("text", "");
                    out.put("error", "missing string field 'html'");
                  } else {
                    out.put("text", extractor.extract(html.asText()));
                  }
                  return out;
                });
    System.err.printf(
        "extract: %,d lines (%,d errors) in %.1f s -> %s%n",
        r.lines(), r.errors(), (System.nanoTime() - start) / 1e9, files.output);
    return 0;
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new ExtractCommand(), args));
  }
}
