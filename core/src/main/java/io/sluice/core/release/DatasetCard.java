package io.sluice.core.release;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code README.md} of a release: sources, licences, languages, filtering, dedup and token
 * counts, written from the stages' own {@code stats.json} so it says only what was measured.
 */
final class DatasetCard {
  private DatasetCard() {}

  static String render(
      String name, String version, String licence, Map<String, JsonNode> stages, JsonNode mixture) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(name).append(' ').append(version).append("\n\n");
    md.append(
            "A dataset release made by Sluice. `manifest.json` lists every file with its size and")
        .append(" sha256; `sluice release verify` re-checks them.\n\n");

    JsonNode ingest = stages.get("documents");
    md.append("## Sources\n\n");
    if (ingest != null) {
      for (JsonNode in : ingest.path("inputs")) {
        md.append("- `").append(in.asText()).append("`\n");
      }
      md.append(
          String.format(
              Locale.ROOT,
              "\n%,d input files, %,d bytes read; %,d documents kept, %,d quarantined.\n\n",
              ingest.path("input_files").asLong(),
              ingest.path("input_bytes").asLong(),
              ingest.path("documents").asLong(),
              ingest.path("quarantined").asLong()));
    } else {
      md.append("(no ingest statistics in this release)\n\n");
    }
    md.append("## Licences\n\n")
        .append(
            licence == null || licence.isBlank()
                ? "Not stated by the publisher. Each document keeps its source URL or path;"
                    + " the terms of each source apply.\n\n"
                : licence + "\n\n");

    if (ingest != null) {
      md.append("## Languages\n\n| kind | language | documents |\n|---|---|---|\n");
      for (JsonNode row : ingest.path("by_kind_lang")) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,d |%n",
                row.path("kind").asText(),
                row.path("lang").asText(),
                row.path("documents").asLong()));
      }
      md.append('\n');
    }

    JsonNode filter = stages.get("scored");
    if (filter != null) {
      md.append("## Filtering\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "%,d of %,d documents removed by quality rules:\n\n",
                  filter.path("removed_documents").asLong(),
                  filter.path("input_documents").asLong()));
      for (Iterator<Map.Entry<String, JsonNode>> it = filter.path("removed_by_rule_total").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        md.append("- ").append(e.getKey()).append(": ").append(e.getValue().asLong()).append('\n');
      }
      md.append("\n| quality bucket | documents | bytes | estimated tokens |\n|---|---|---|---|\n");
      for (JsonNode b : filter.path("buckets")) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %,d | %,d | %,d |%n",
                b.path("bucket").asInt(),
                b.path("documents").asLong(),
                b.path("bytes").asLong(),
                b.path("estimated_tokens").asLong()));
      }
      md.append('\n');
    }

    JsonNode dedup = stages.get("deduped");
    if (dedup != null) {
      md.append("## Deduplication\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "%,d exact and %,d near duplicates removed (MinHash LSH %d bands × %d rows,"
                      + " Jaccard ≥ %.2f); %,d documents remain.\n\n",
                  dedup.path("exact_removed").asLong(),
                  dedup.path("near_removed").asLong(),
                  dedup.path("bands").asInt(),
                  dedup.path("rows").asInt(),
                  dedup.path("threshold").asDouble(),
                  dedup.path("survivors").asLong()));
    }

    JsonNode tokens = stages.get("tokens");
    if (tokens != null) {
      md.append("## Tokens\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "%,d tokens in %,d documents, tokenizer `%s` (vocabulary sha256 `%s`), %.2f"
                      + " bytes/token.\n\n",
                  tokens.path("tokens").asLong(),
                  tokens.path("documents").asLong(),
                  tokens.path("tokenizer").asText(),
                  tokens.path("vocabulary_sha256").asText(),
                  tokens.path("bytes_per_token").asDouble()));
    }
    if (mixture != null) {
      md.append("## Mixture\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "For a budget of %.3g tokens, train on buckets:\n\n",
                  mixture.path("token_budget").asDouble()));
      for (JsonNode b : mixture.path("buckets")) {
        md.append(
            String.format(
                Locale.ROOT,
                "- bucket %d: %.2f epochs%n",
                b.path("bucket").asInt(),
                b.path("epochs").asDouble()));
      }
      md.append('\n');
    }
    return md.toString();
  }
}
