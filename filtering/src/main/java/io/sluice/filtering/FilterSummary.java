package io.sluice.filtering;

import io.sluice.core.report.TextTable;
import java.util.List;
import java.util.Map;

/** What a filter run produced: where, and the statistics saved in {@code stats.json}. */
public record FilterSummary(String output, Map<String, Object> stats, boolean alreadyCommitted) {

  static FilterSummary alreadyCommitted(String output) {
    return new FilterSummary(output, Map.of(), true);
  }

  @SuppressWarnings("unchecked")
  private String selection() {
    if (!(stats.get("selection") instanceof List)) {
      return "\nselection: " + stats.get("selection") + "\n";
    }
    TextTable t =
        new TextTable("budget (tokens)", "k*", "buckets", "epochs", "predicted loss", "note");
    for (Map<String, Object> r : (List<Map<String, Object>>) stats.get("selection")) {
      t.row(
          r.get("budget_tokens"),
          r.get("k_star"),
          r.get("buckets"),
          r.get("epochs"),
          r.get("predicted_loss"),
          Boolean.TRUE.equals(r.get("in_fitted_range"))
              ? ""
              : "below the law's range (a*S/Z <= 1)");
    }
    return "\nselection under the default scaling parameters (see report.html)\n" + t.render();
  }

  /** The console summary: removals per rule, then the buckets. */
  @SuppressWarnings("unchecked")
  public String table() {
    if (alreadyCommitted) {
      return "filter: "
          + output
          + " is already committed; nothing to do (use --force to redo it)\n";
    }
    TextTable rules = new TextTable("rule", "kind", "lang", "documents", "bytes");
    for (Map<String, Object> e : (List<Map<String, Object>>) stats.get("removed_by_rule")) {
      rules.row(e.get("rule"), e.get("kind"), e.get("lang"), e.get("documents"), e.get("bytes"));
    }
    TextTable buckets =
        new TextTable("bucket", "documents", "bytes", "est. tokens", "min score", "max score");
    for (Map<String, Object> e : (List<Map<String, Object>>) stats.get("buckets")) {
      buckets.row(
          e.get("bucket"),
          e.get("documents"),
          e.get("bytes"),
          e.get("estimated_tokens"),
          e.get("min_score"),
          e.get("max_score"));
    }
    return "filter: "
        + stats.get("input_documents")
        + " documents in, "
        + stats.get("documents")
        + " kept, "
        + stats.get("removed_documents")
        + " removed ("
        + stats.get("removed_bytes")
        + " bytes) -> "
        + output
        + "\n\n"
        + "removed by rule (a document failing several rules counts under each)\n"
        + rules.render()
        + "\n"
        + buckets.render()
        + selection();
  }
}
