package io.sluice.dedup;

import io.sluice.core.report.TextTable;
import java.util.Map;

/** What a dedup run produced: where, and the statistics saved in {@code stats.json}. */
public record DedupSummary(String output, Map<String, Object> stats, boolean alreadyCommitted) {

  static DedupSummary alreadyCommitted(String output) {
    return new DedupSummary(output, Map.of(), true);
  }

  /** The console summary: counts, clusters, and the LSH configuration with its S-curve. */
  public String table() {
    if (alreadyCommitted) {
      return "dedup: " + output + " is already committed; nothing to do (use --force to redo it)\n";
    }
    TextTable t = new TextTable("measure", "value");
    for (String k :
        new String[] {
          "input_documents",
          "exact_removed",
          "near_removed",
          "survivors",
          "clusters",
          "largest_cluster",
          "candidate_pairs",
          "verified_pairs",
          "capped_buckets",
          "cc_iterations",
          "bands",
          "rows",
          "threshold",
          "shingle_size",
          "normalization",
          "per_source",
          "elapsed_seconds"
        }) {
      t.row(k, stats.get(k));
    }
    return "dedup: "
        + stats.get("input_documents")
        + " documents in, "
        + stats.get("survivors")
        + " kept -> "
        + output
        + "\n\n"
        + t.render()
        + "\n"
        + SCurve.describe((Integer) stats.get("bands"), (Integer) stats.get("rows"))
        + "\n";
  }
}
