package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.index.TrecEval;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice eval}: trec_eval-style metrics of a TREC run against qrels. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Score a TREC run against qrels (BEIR TSV or TREC): nDCG@10, Recall@10, Recall@100,"
            + " MRR@10, as trec_eval -c computes them.")
public final class EvalCommand implements Callable<Integer> {

  @Option(names = "--run", required = true, paramLabel = "run.trec")
  Path run;

  @Option(names = "--qrels", required = true, paramLabel = "qrels.tsv")
  Path qrels;

  @Override
  public Integer call() throws Exception {
    Map<String, Double> m = TrecEval.evaluate(TrecEval.readRun(run), TrecEval.readQrels(qrels));
    TextTable t = new TextTable("run", "queries", "nDCG@10", "Recall@10", "Recall@100", "MRR@10");
    t.row(
        run.getFileName(),
        m.get("queries").intValue(),
        String.format("%.4f", m.get("ndcg_cut_10")),
        String.format("%.4f", m.get("recall_10")),
        String.format("%.4f", m.get("recall_100")),
        String.format("%.4f", m.get("mrr_10")));
    System.out.print(t.render());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new EvalCommand(), args));
  }
}
