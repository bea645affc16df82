package io.sluice.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * TREC run and qrels files, and the retrieval metrics computed as {@code trec_eval -c} does: runs
 * are re-sorted by score (ties by document id, descending, as trec_eval breaks them), nDCG uses the
 * graded relevance as linear gain with a log2(rank+1) discount and the ideal ranking of all judged
 * documents; every query in the qrels with a relevant document counts, a query missing from the run
 * scoring 0.
 *
 * <p>Metrics: {@code ndcg_cut_10}, {@code recall_10}, {@code recall_100}, {@code mrr_10}
 * (reciprocal rank of the first relevant document within the top 10). Stateless utility.
 */
public final class TrecEval {

  private TrecEval() {}

  /** One line of a TREC run. */
  public record RunEntry(String docId, double score) {}

  /**
   * Reads qrels: BEIR's TSV ({@code query-id corpus-id score}, with a header) or TREC's {@code qid
   * 0 docid rel}.
   *
   * @return query id → document id → relevance
   */
  public static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
    Map<String, Map<String, Integer>> q = new TreeMap<>();
    int lineNo = 0;
    for (String line : lines(file, "qrels (query-id corpus-id score)")) {
      lineNo++;
      String[] f = line.trim().split("\\s+");
      if (line.isBlank() || (lineNo == 1 && f[0].equals("query-id"))) {
        continue;
      }
      String qid;
      String doc;
      String rel;
      if (f.length == 3) {
        qid = f[0];
        doc = f[1];
        rel = f[2];
      } else if (f.length == 4) {
        qid = f[0];
        doc = f[2];
        rel = f[3];
      } else {
        throw new IllegalArgumentException(
            "bad qrels line " + lineNo + " in " + file + ": expected 3 or 4 fields: " + line);
      }
      try {
        q.computeIfAbsent(qid, k -> new HashMap<>()).put(doc, Integer.parseInt(rel));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad qrels line " + lineNo + " in " + file + ": relevance '" + rel + "' is not an int");
      }
    }
    return q;
  }

  /** The lines of a UTF-8 text file; a file that is not text is an error naming it. */
  private static List<String> lines(Path file, String what) throws IOException {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text: expected a " + what + " file", e);
    }
  }

  /** Reads a TREC run ({@code qid Q0 docid rank score tag}); query id → entries in file order. */
  public static Map<String, List<RunEntry>> readRun(Path file) throws IOException {
    Map<String, List<RunEntry>> run = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : lines(file, "TREC run (qid Q0 docid rank score tag)")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            "bad run line " + lineNo + " in " + file + ": expected 6 fields: " + line);
      }
      try {
        run.computeIfAbsent(f[0], k -> new ArrayList<>())
            .add(new RunEntry(f[2], Double.parseDouble(f[4])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "bad run line " + lineNo + " in " + file + ": score '" + f[4] + "' is not a number");
      }
    }
    return run;
  }

  /** Writes one query's ranking as TREC run lines (rank from 1). */
  public static void writeRun(Writer out, String qid, Collection<Hit> docs, String tag) {
    try {
      int rank = 1;
      for (Hit h : docs) {
        out.write(qid + " Q0 " + h.docId() + " " + rank++ + " " + h.score() + " " + tag + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Mean metrics over the judged queries.
   *
   * @return metric name → mean, plus {@code queries} (how many were averaged)
   */
  public static Map<String, Double> evaluate(
      Map<String, List<RunEntry>> run, Map<String, Map<String, Integer>> qrels) {
    double ndcg10 = 0;
    double r10 = 0;
    double r100 = 0;
    double mrr10 = 0;
    int n = 0;
    for (Map.Entry<String, Map<String, Integer>> e : qrels.entrySet()) {
      Map<String, Integer> rel = e.getValue();
      long relevant = rel.values().stream().filter(v -> v > 0).count();
      if (relevant == 0) {
        continue;
      }
      n++;
      List<RunEntry> ranked = new ArrayList<>(run.getOrDefault(e.getKey(), List.of()));
      ranked.sort(
          (a, b) ->
              a.score() != b.score()
                  ? Double.compare(b.score(), a.score())
                  : b.docId().compareTo(a.docId()));
      double dcg = 0;
      int found10 = 0;
      int found100 = 0;
      double rr = 0;
      for (int i = 0; i < ranked.size() && i < 100; i++) {
        int g = Math.max(0, rel.getOrDefault(ranked.get(i).docId(), 0));
        if (g > 0) {
          found100++;
          if (i < 10) {
            found10++;
            dcg += g / log2(i + 2);
            if (rr == 0) {
              rr = 1.0 / (i + 1);
            }
          }
        }
      }
      List<Integer> ideal =
          rel.values().stream().filter(v -> v > 0).sorted((a, b) -> b - a).toList();
      double idcg = 0;
      for (int i = 0; i < ideal.size() && i < 10; i++) {
        idcg += ideal.get(i) / log2(i + 2);
      }
      ndcg10 += dcg / idcg;
      r10 += (double) found10 / relevant;
      r100 += (double) found100 / relevant;
      mrr10 += rr;
    }
    if (n == 0) {
      throw new IllegalArgumentException("the qrels hold no query with a relevant document");
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("ndcg_cut_10", ndcg10 / n);
    m.put("recall_10", r10 / n);
    m.put("recall_100", r100 / n);
    m.put("mrr_10", mrr10 / n);
    m.put("queries", (double) n);
    return m;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
