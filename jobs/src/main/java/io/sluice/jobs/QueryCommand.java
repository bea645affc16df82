package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.server.SearchClient;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice query}: one query against a running {@code sluice serve}, printed as a table. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description =
        "Ask a running retrieval server (sluice serve) one query; API key from $SLUICE_API_KEY.")
public final class QueryCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "(default: ${DEFAULT-VALUE})")
  URI url;

  @Parameters(index = "0", paramLabel = "TEXT", description = "the query")
  String text;

  @Option(names = "--k", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--mode", description = "bm25, dense or hybrid (default: the server's)")
  String mode;

  @Option(names = "--width", defaultValue = "80", description = "characters of text shown")
  int width;

  @Override
  public Integer call() throws Exception {
    SearchClient c = new SearchClient(url, System.getenv("SLUICE_API_KEY"));
    SearchClient.Result r = c.search(text, k, mode);
    TextTable t = new TextTable("rank", "score", "doc_id", "passage", "text");
    int rank = 1;
    for (SearchClient.Hit h : r.hits()) {
      String s = h.text().replaceAll("\\s+", " ");
      t.row(
          rank++,
          String.format("%.4f", h.score()),
          h.docId(),
          h.id(),
          s.length() > width ? s.substring(0, width) + "…" : s);
    }
    System.out.printf("%d hits, mode %s, %.1f ms%n%n", r.hits().size(), r.mode(), r.tookMs());
    System.out.print(t.render());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new QueryCommand(), args));
  }
}
