package io.sluice.tokenization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Real text from {@code ../shared/data} cut into documents for exactness tests and the throughput
 * benchmark: the Debian handbook in all 26 languages (HTML crudely stripped), every code language,
 * the Debian reference plain text (10 languages incl. CJK), plus hard cases (long words, whitespace
 * runs, emoji, text repaired from invalid UTF-8).
 */
final class SharedCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A named group of documents (a language or a code file). */
  record Group(String name, List<String> docs) {
    long chars() {
      return docs.stream().mapToLong(String::length).sum();
    }
  }

  private SharedCorpus() {}

  static Path dataDir() {
    return Paths.get(System.getProperty("sluice.shared.data", "../shared/data"));
  }

  /**
   * @param perGroupChars character budget per group
   * @param docChars documents are cut into chunks of at most this many characters
   */
  static List<Group> load(int perGroupChars, int docChars) {
    Path data = dataDir();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    try {
      readJsonl(
          data.resolve("web/multilingual-docs/debian-handbook-11.20220922-html.jsonl.gz"),
          n -> "handbook-" + n.path("lang").asText(),
          n -> stripTags(n.path("html").asText()),
          groups,
          perGroupChars,
          docChars);
      readJsonl(
          data.resolve("web/multilingual-docs/debian-reference-2.100-text.jsonl.gz"),
          n -> "reference-" + n.path("lang").asText(),
          n -> n.path("text").asText(),
          groups,
          perGroupChars,
          docChars);
      try (Stream<Path> files = Files.list(data.resolve("code"))) {
        for (Path f : files.sorted().filter(p -> p.toString().endsWith(".jsonl.gz")).toList()) {
          String name = f.getFileName().toString().replace(".jsonl.gz", "");
          readJsonl(f, n -> name, n -> n.path("text").asText(), groups, perGroupChars, docChars);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Group> out = new ArrayList<>();
    groups.forEach((k, v) -> out.add(new Group(k, v)));
    out.add(new Group("hard-cases", hardCases(groups)));
    return out;
  }

  private static void readJsonl(
      Path file,
      java.util.function.Function<JsonNode, String> group,
      java.util.function.Function<JsonNode, String> text,
      Map<String, List<String>> groups,
      int perGroupChars,
      int docChars)
      throws IOException {
    Map<String, Integer> used = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode n = JSON.readTree(line);
        String g = group.apply(n);
        int have = used.getOrDefault(g, 0);
        if (have >= perGroupChars) {
          continue;
        }
        String t = text.apply(n);
        List<String> docs = groups.computeIfAbsent(g, k -> new ArrayList<>());
        for (int i = 0; i < t.length() && have < perGroupChars; ) {
          int end = Math.min(t.length(), i + docChars);
          if (end < t.length() && Character.isHighSurrogate(t.charAt(end - 1))) {
            end--;
          }
          docs.add(t.substring(i, end));
          have += end - i;
          i = end;
        }
        used.put(g, have);
      }
    }
  }

  /** Crude tag stripping; entities stay, which is fine for tokenizer tests. */
  static String stripTags(String html) {
    return html.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", "");
  }

  private static List<String> hardCases(Map<String, List<String>> groups) {
    List<String> out = new ArrayList<>();
    Random random = new Random(20240601L);
    out.add("a".repeat(5000));
    out.add("Donaudampfschifffahrtsgesellschaftskapitänswitwe".repeat(40));
    out.add(
        " ".repeat(3000)
            + "x"
            + "\t".repeat(100)
            + "\n".repeat(50)
            + " \n \r\n\u00a0\u3000 end   ");
    out.add("1234567890".repeat(100) + " ٣٤٥٦ ১২৩ 一二三");
    out.add("😀😃😄😁👍🏽👨‍👩‍👧‍👦🇩🇪🏳️‍🌈 emoji: 🤖🧪 " + "🙂".repeat(300));
    out.add("I'm you'RE he'll she'D we've it's THEY'LL 'S 'll ſ'ſ don't ＡＢＣ ｶﾀｶﾅ");
    out.add("<|endoftext|> <|fim_prefix|>x<|fim_suffix|> <think>a</think>");
    out.add("e\u0301 a\u0308 Å \ufb01 한국어 \u1100\u1161");
    // Text repaired from invalid UTF-8: corrupt bytes of real documents, decode with U+FFFD.
    List<String> sources = new ArrayList<>();
    groups.values().forEach(docs -> sources.addAll(docs.subList(0, Math.min(3, docs.size()))));
    for (String s : sources) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      for (int k = 0; k < 1 + b.length / 200; k++) {
        b[random.nextInt(b.length)] = (byte) (0x80 + random.nextInt(0x80));
      }
      try {
        out.add(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .decode(java.nio.ByteBuffer.wrap(b))
                .toString());
      } catch (java.nio.charset.CharacterCodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
