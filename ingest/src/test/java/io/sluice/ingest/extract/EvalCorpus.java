package io.sluice.ingest.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Loads the shared hand-annotated extraction sets (JSON lines, gzip). */
final class EvalCorpus {
  /** One annotated page of the trafilatura evaluation set. */
  record Page(String url, String html, List<String> goldWith, List<String> goldWithout) {}

  private EvalCorpus() {}

  static Path sharedDataDir() {
    return Path.of(System.getProperty("sluice.shared.data", "/work/shared/data"));
  }

  static Path trafilaturaSet() {
    return sharedDataDir().resolve("web/html-extraction/trafilatura-eval-shared.jsonl.gz");
  }

  static List<JsonNode> readLines(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(mapper.readTree(line));
        }
      }
    }
    return out;
  }

  static List<Page> trafilaturaPages() throws IOException {
    List<Page> pages = new ArrayList<>();
    for (JsonNode n : readLines(trafilaturaSet())) {
      pages.add(
          new Page(
              n.path("url").asText(),
              n.path("html").asText(),
              strings(n.path("gold_with")),
              strings(n.path("gold_without"))));
    }
    return pages;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
