package io.sluice.jobs;

import io.sluice.core.report.TextTable;
import io.sluice.index.Distiller;
import io.sluice.index.TowerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice distill}: trains the query tower's projection head against the document tower and
 * stores it in the index; with {@code --eval-qrels} prints teacher/student/BM25 metrics.
 */
@Command(
    name = "distill",
    mixinStandardHelpOptions = true,
    description =
        "Distil the document tower's query side into a small encoder + projection head"
            + " (ScalingNote loss) and store it in the index.")
public final class DistillCommand implements Callable<Integer> {

  @Option(names = "--index", required = true, paramLabel = "DIR")
  Path index;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "train.jsonl",
      description = "training queries (BEIR JSONL); queries of --eval-qrels are held out")
  Path queries;

  @Option(
      names = "--eval-qrels",
      paramLabel = "qrels.tsv",
      description =
          "evaluate on these qrels' queries (taken from --queries, never trained on); default:"
              + " qrels/test.tsv next to the queries file when it exists")
  Path evalQrels;

  @Option(names = "--student", defaultValue = "all-minilm-l6-v2", description = "small encoder")
  String student;

  @Option(names = "--mlp-hidden", defaultValue = "0", description = "0 = linear head")
  int hidden;

  @Option(
      names = "--pseudo-queries",
      defaultValue = "4000",
      description = "passage first sentences")
  int pseudo;

  @Option(names = "--epochs", defaultValue = "30")
  int epochs;

  @Option(names = "--lr", defaultValue = "0.001")
  double lr;

  @Option(names = "--loss.mse", defaultValue = "1.0", description = "weight of the MSE term")
  double wMse;

  @Option(names = "--loss.cos", defaultValue = "1.0", description = "weight of the 1 - cos term")
  double wCos;

  @Override
  public Integer call() throws Exception {
    Path qrels = evalQrels;
    if (qrels == null) {
      Path guess = queries.toAbsolutePath().resolveSibling("qrels").resolve("test.tsv");
      qrels = java.nio.file.Files.exists(guess) ? guess : null;
    }
    Distiller.Options d = Distiller.Options.defaults();
    d =
        new Distiller.Options(
                TowerConfig.bundled(student),
                d.mlpHidden(),
                d.pseudoQueries(),
                d.lr(),
                d.epochs(),
                d.batch(),
                d.wMse(),
                d.wCos(),
                d.seed(),
                null,
                d.threads())
            .withTraining(hidden, pseudo, lr, epochs, wMse, wCos)
            .withEval(qrels);
    Distiller.Report r = Distiller.run(index, queries, d);
    System.out.printf(
        "distill: %,d queries + %,d pseudo-queries, validation loss %.4f -> %.4f, cosine to"
            + " teacher %.4f, %.1f s -> %s%n%n",
        r.trainQueries(),
        r.pseudoQueries(),
        r.validationLossBefore(),
        r.validationLossAfter(),
        r.validationCosine(),
        r.seconds(),
        index.resolve(Distiller.HEAD_FILE));
    if (!r.metrics().isEmpty()) {
      TextTable t =
          new TextTable("setting", "queries", "nDCG@10", "Recall@100", "MRR@10", "query p50 ms");
      for (Map.Entry<String, Map<String, Double>> e : r.metrics().entrySet()) {
        Map<String, Double> m = e.getValue();
        t.row(
            e.getKey(),
            m.get("queries").intValue(),
            String.format("%.4f", m.get("ndcg_cut_10")),
            String.format("%.4f", m.get("recall_100")),
            String.format("%.4f", m.get("mrr_10")),
            m.containsKey("latency_p50_ms") ? String.format("%.1f", m.get("latency_p50_ms")) : "-");
      }
      System.out.println("evaluated on " + qrels);
      System.out.print(t.render());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new DistillCommand(), args));
  }
}
