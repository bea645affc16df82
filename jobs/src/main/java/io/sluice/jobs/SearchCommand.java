package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.index.Hit;
import io.sluice.index.Queries;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import io.sluice.index.TrecEval;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice search}: runs a queries file against an index and writes a TREC run with document
 * ids (passages collapsed to their documents by the best passage).
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = "Search an index with a queries file (BEIR JSONL) and write a TREC run.")
public final class SearchCommand implements Callable<Integer> {

  @Option(names = "--index", required = true, paramLabel = "DIR")
  Path index;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "queries.jsonl",
      description = "JSON lines with _id and text")
  Path queries;

  @Option(names = "--mode", defaultValue = "bm25", description = "bm25, dense or hybrid")
  String mode;

  @Option(names = "--k", defaultValue = "100", description = "documents per query")
  int k;

  @Option(
      names = "--passages",
      defaultValue = "1000",
      description = "passages retrieved per query before collapsing to documents")
  int passages;

  @Option(names = "--output", required = true, paramLabel = "run.trec")
  Path output;

  @Option(names = "--fusion", defaultValue = "rrf", description = "hybrid: rrf or interpolate")
  String fusion;

  @Option(names = "--alpha", defaultValue = "0.5", description = "interpolate: dense weight")
  double alpha;

  @Option(
      names = "--query-tower",
      defaultValue = "auto",
      description = "auto (distilled if present), teacher or student")
  String queryTower;

  @Option(names = "--lang", description = "only passages of this language")
  String lang;

  @Option(names = "--kind", description = "only web or code passages")
  String kind;

  @Option(names = "--source", description = "only passages of this source")
  String source;

  @Option(names = "--tag", description = "run tag (default: the mode)")
  String tag;

  @Override
  public Integer call() throws Exception {
    SearchMode m = SearchMode.parse(mode);
    Map<String, String> qs = Queries.read(queries);
    SearchRequest req =
        SearchRequest.of("", k, m).withFilter(lang, kind, source).withFusion(fusion, alpha);
    long start = System.nanoTime();
    try (Retriever r =
            Retriever.open(index, Retriever.Options.defaults().withQueryTower(queryTower));
        BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      List<String> ids = new ArrayList<>(qs.keySet());
      List<String> texts = new ArrayList<>(qs.values());
      String t = tag != null ? tag : m.name().toLowerCase(Locale.ROOT);
      long lines = 0;
      int batch = 256;
      for (int from = 0; from < ids.size(); from += batch) {
        int to = Math.min(ids.size(), from + batch);
        List<List<Hit>> hits = r.searchDocuments(texts.subList(from, to), req, passages);
        for (int i = from; i < to; i++) {
          TrecEval.writeRun(out, ids.get(i), hits.get(i - from), t);
          lines += hits.get(i - from).size();
        }
        System.out.printf("[search] %,d/%,d queries%n", to, ids.size());
      }
      double secs = (System.nanoTime() - start) / 1e9;
      TextTable tt = new TextTable("queries", "mode", "query tower", "run lines", "seconds", "QPS");
      tt.row(
          ids.size(),
          t,
          r.queryTowerName() == null ? "-" : r.queryTowerName(),
          lines,
          String.format("%.1f", secs),
          String.format("%.1f", ids.size() / secs));
      System.out.println("search: " + index + " -> " + output + "\n");
      System.out.print(tt.render());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new SearchCommand(), args));
  }
}
