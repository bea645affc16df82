package io.sluice.filtering.select;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The selection table (budget → k*, epochs, predicted loss) over a sweep of budgets, and a small
 * self-contained HTML page with an SVG chart of predicted loss against budget for each k.
 */
public final class SelectionReport {

  private final MixturePlanner planner;
  private final List<MixturePlanner.BucketSize> sizes;

  public SelectionReport(SelectionConfig config, List<MixturePlanner.BucketSize> sizes) {
    this.planner = new MixturePlanner(config);
    this.sizes = List.copyOf(sizes);
  }

  /** Budgets from 1/10 to 100 times the tokens of all buckets, log-spaced. */
  public List<Double> defaultBudgets() {
    double total = sizes.stream().mapToDouble(MixturePlanner.BucketSize::tokens).sum();
    List<Double> budgets = new ArrayList<>();
    for (double f : new double[] {0.1, 0.3, 1, 3, 10, 30, 100}) {
      budgets.add(Math.max(1, total * f));
    }
    return budgets;
  }

  /** One row per budget: the chosen k, its buckets, epochs and predicted loss. */
  public List<Map<String, Object>> table(List<Double> budgets) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (double budget : budgets) {
      MixturePlanner.Plan plan = planner.plan(sizes, budget);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("budget_tokens", Math.round(budget));
      row.put("k_star", plan.best().k());
      row.put("buckets", plan.best().buckets());
      row.put("epochs", plan.best().epochs());
      row.put("predicted_loss", plan.best().predictedLoss());
      row.put("in_fitted_range", planner.inFittedRange(budget));
      rows.add(row);
    }
    return rows;
  }

  /** An HTML page with one line per k: predicted loss against log10(budget). */
  public String html(String title) {
    double total = sizes.stream().mapToDouble(MixturePlanner.BucketSize::tokens).sum();
    int points = 40;
    double lo = Math.log10(Math.max(1, total * 0.05));
    double hi = Math.log10(Math.max(10, total * 200));
    int ks = planner.plan(sizes, total).candidates().size();
    double[][] loss = new double[ks][points];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int p = 0; p < points; p++) {
      double budget = Math.pow(10, lo + (hi - lo) * p / (points - 1));
      List<MixturePlanner.Candidate> cs = planner.plan(sizes, budget).candidates();
      for (int k = 0; k < ks; k++) {
        loss[k][p] = cs.get(k).predictedLoss();
        min = Math.min(min, loss[k][p]);
        max = Math.max(max, loss[k][p]);
      }
    }
    int w = 640;
    int h = 360;
    int pad = 50;
    String[] colors = {
      "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"
    };
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d'>", w, h));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>",
            pad,
            pad / 2,
            w - pad - 20,
            h - pad - pad / 2));
    for (int k = 0; k < ks; k++) {
      svg.append("<polyline fill='none' stroke-width='2' stroke='")
          .append(colors[k % colors.length])
          .append("' points='");
      for (int p = 0; p < points; p++) {
        double x = pad + (w - pad - 20) * (double) p / (points - 1);
        double y =
            pad / 2.0
                + (h - pad - pad / 2.0) * (max == min ? 0.5 : (max - loss[k][p]) / (max - min));
        svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append("'/>");
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x='%d' y='%d' font-size='12' fill='%s'>top-%d buckets</text>",
              w - 150,
              pad / 2 + 16 * (k + 1),
              colors[k % colors.length],
              k + 1));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x='%d' y='%d' font-size='12'>token budget: 10^%.1f … 10^%.1f (log scale)</text>",
            pad,
            h - 12,
            lo,
            hi));
    svg.append(
        String.format(
            Locale.ROOT, "<text x='4' y='%d' font-size='12'>loss %.3f</text>", pad / 2 + 12, max));
    svg.append(
        String.format(Locale.ROOT, "<text x='4' y='%d' font-size='12'>%.3f</text>", h - pad, min));
    svg.append("</svg>");
    return "<!doctype html><html><head><meta charset='utf-8'><title>"
        + title
        + "</title></head><body><h3>"
        + title
        + "</h3><p>Predicted loss against token budget for mixing the top-k quality buckets"
        + " (Goyal et al. 2024 scaling law).</p>"
        + svg
        + "</body></html>\n";
  }
}
