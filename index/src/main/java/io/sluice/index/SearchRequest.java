package io.sluice.index;

import java.util.Objects;

/**
 * A query and how to run it.
 *
 * @param k hits to return
 * @param lang only passages of this language (null = any)
 * @param kind only {@code web} or {@code code} passages (null = any)
 * @param source only passages of this source (null = any)
 * @param fusion hybrid only: {@code rrf} (reciprocal rank fusion, k = 60) or {@code interpolate}
 *     (min-max normalised scores, {@code alpha·dense + (1−alpha)·bm25})
 * @param alpha weight of the dense score under {@code interpolate}
 */
public record SearchRequest(
    String query,
    int k,
    SearchMode mode,
    String lang,
    String kind,
    String source,
    String fusion,
    double alpha) {

  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(mode, "mode");
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    fusion = fusion == null ? "rrf" : fusion;
    if (!fusion.equals("rrf") && !fusion.equals("interpolate")) {
      throw new IllegalArgumentException("fusion must be rrf or interpolate, got '" + fusion + "'");
    }
    if (alpha < 0 || alpha > 1) {
      throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
    }
  }

  public static SearchRequest of(String query, int k, SearchMode mode) {
    return new SearchRequest(query, k, mode, null, null, null, "rrf", 0.5);
  }

  public SearchRequest withFilter(String lang, String kind, String source) {
    return new SearchRequest(query, k, mode, lang, kind, source, fusion, alpha);
  }

  public SearchRequest withFusion(String fusion, double alpha) {
    return new SearchRequest(query, k, mode, lang, kind, source, fusion, alpha);
  }

  public SearchRequest withQuery(String q) {
    return new SearchRequest(q, k, mode, lang, kind, source, fusion, alpha);
  }

  boolean filtered() {
    return lang != null || kind != null || source != null;
  }
}
