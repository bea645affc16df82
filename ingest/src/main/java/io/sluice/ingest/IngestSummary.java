package io.sluice.ingest;

import io.sluice.core.report.TextTable;
import java.util.List;
import java.util.Map;

/**
 * What an ingest run produced: where, and the statistics saved in {@code stats.json}.
 *
 * @param alreadyCommitted true when the run did nothing because the output was already committed
 */
public record IngestSummary(String output, Map<String, Object> stats, boolean alreadyCommitted) {

  static IngestSummary alreadyCommitted(String output) {
    return new IngestSummary(output, Map.of(), true);
  }

  /**
   * The console summary: documents and bytes per kind and language, then quarantined and skipped
   * records by reason.
   */
  @SuppressWarnings("unchecked")
  public String table() {
    if (alreadyCommitted) {
      return "ingest: "
          + output
          + " is already committed; nothing to do (use --force to redo it)\n";
    }
    TextTable langs = new TextTable("kind", "lang", "documents", "bytes");
    for (Map<String, Object> e : (List<Map<String, Object>>) stats.get("by_kind_lang")) {
      langs.row(e.get("kind"), e.get("lang"), e.get("documents"), e.get("bytes"));
    }
    langs.row("all", "", stats.get("documents"), stats.get("bytes"));
    TextTable other = new TextTable("outcome", "reason", "records");
    Map<String, Long> quarantined = (Map<String, Long>) stats.get("quarantined_by_reason");
    Map<String, Long> skipped = (Map<String, Long>) stats.get("skipped_by_reason");
    quarantined.forEach((k, v) -> other.row("quarantined", k, v));
    skipped.forEach((k, v) -> other.row("skipped", k, v));
    String others =
        quarantined.isEmpty() && skipped.isEmpty()
            ? "no record was quarantined or skipped\n"
            : other.render();
    return "ingest: "
        + stats.get("input_files")
        + " files, "
        + stats.get("input_bytes")
        + " bytes in "
        + stats.get("elapsed_seconds")
        + " s ("
        + stats.get("input_mb_per_second")
        + " MB/s) -> "
        + output
        + "\n\n"
        + langs.render()
        + "\n"
        + others;
  }
}
