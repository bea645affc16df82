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
 * {@code sluice distill}: trains a small query tower against the document tower (a projection head
 * on a small encoder, or a static tower of token vectors) and stores it in the index; with {@code
 * --eval-qrels} prints teacher/student/BM25 metrics.
 */
@Command(
    name = "distill",
    mixinStandardHelpOptions = true,
    description =
        "Distil the document tower's query side into a small query tower (an encoder +"
            + " projection head, or static token vectors) and store it in the index.")
public final class DistillCommand implements Callable<Integer> {

  @Option(names = "--index", required = true, paramLabel = "DIR")
  Path index;

  @Option(
      names = "--queries",
      paramLabel = "train.jsonl",
      description =
          "training queries (BEIR JSONL); queries of --eval-qrels are held out. Without it the"
              + " student trains on passage sentences alone")
  Path queries;

  @Option(
      names = "--eval-qrels",
      paramLabel = "qrels.tsv",
      description =
          "evaluate on these qrels' queries (taken from --queries, never trained on); default:"
              + " qrels/test.tsv next to the queries file when it exists")
  Path evalQrels;

  @Option(
      names = "--student",
      defaultValue = "all-minilm-l6-v2",
      description =
          "the small query tower: an encoder (all-minilm-l6-v2, bge-small-en-v1.5) that gets a"
              + " projection head, or 'static' (token vectors over the document tower's tokenizer,"
              + " no transformer at query time)")
  String student;

  @Option(names = "--mlp-hidden", defaultValue = "0", description = "0 = linear head (encoder)")
  int hidden;

  @Option(
      names = "--pseudo-queries",
      description =
          "passage sentences to train on besides the queries (default: 4000 for an encoder,"
              + " 20000 for static)")
  Integer pseudo;

  @Option(names = "--epochs", description = "default: 30 for an encoder, 8 for static")
  Integer epochs;

  @Option(names = "--lr", description = "Adam's learning rate (default: 0.001, static 0.01)")
  Double lr;

  @Option(names = "--loss.mse", description = "weight of the MSE term (default: 1, static 0)")
  Double wMse;

  @Option(
      names = "--static.seen-tokens-only",
      description =
          "static: start only the tokens of the training texts from the teacher (faster on large"
              + " vocabularies; other tokens add nothing to a query)")
  boolean seenTokensOnly;

  @Option(names = "--loss.cos", defaultValue = "1.0", description = "weight of the 1 - cos term")
  double wCos;

  @Override
  public Integer call() throws Exception {
    Path qrels = evalQrels;
    if (qrels == null && queries != null) {
      Path guess = queries.toAbsolutePath().resolveSibling("qrels").resolve("test.tsv");
      qrels = java.nio.file.Files.exists(guess) ? guess : null;
    }
    boolean isStatic = student.equalsIgnoreCase("static");
    Distiller.Options d = isStatic ? Distiller.Options.staticTower() : Distiller.Options.defaults();
    if (isStatic && (hidden != 0 || (wMse != null && wMse != 0))) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--mlp-hidden and --loss.mse apply to an encoder student, not to --student static");
    }
    d =
        new Distiller.Options(
                isStatic ? null : TowerConfig.bundled(student),
                d.mlpHidden(),
                d.pseudoQueries(),
                d.lr(),
                d.epochs(),
                d.batch(),
                d.wMse(),
                d.wCos(),
                d.seed(),
                null,
                d.threads(),
                !seenTokensOnly)
            .withTraining(
                hidden,
                pseudo == null ? d.pseudoQueries() : pseudo,
                lr == null ? d.lr() : lr,
                epochs == null ? d.epochs() : epochs,
                wMse == null ? d.wMse() : wMse,
                wCos)
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
        r.file());
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
