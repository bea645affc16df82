package io.sluice.filtering.score;

import io.sluice.filtering.signals.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link QualityModel}: logistic regression with Adam (lazy updates for the hashed
 * weights) and L2 regularisation, on labelled examples, holding out a seeded 10% to report accuracy
 * and ROC AUC. Deterministic for a given seed and example order. Not thread-safe.
 */
public final class QualityTrainer {

  /**
   * One training example: a document's signals and text, label 1 for reference quality, 0 for
   * random web.
   */
  public record Example(double[] signals, String text, int label) {}

  /** What training produced and how well it separates held-out examples. */
  public record Result(
      QualityModel model, int trained, int heldOut, double heldOutAccuracy, double heldOutAuc) {}

  private final int bits;
  private final int epochs;
  private final double learningRate;
  private final double l2;
  private final long seed;

  public QualityTrainer(int bits, int epochs, double learningRate, double l2, long seed) {
    if (bits < 8 || bits > 26) {
      throw new IllegalArgumentException("hash bits must be in [8, 26], got " + bits);
    }
    this.bits = bits;
    this.epochs = epochs;
    this.learningRate = learningRate;
    this.l2 = l2;
    this.seed = seed;
  }

  public static QualityTrainer defaults() {
    return new QualityTrainer(18, 4, 0.01, 1e-6, 42);
  }

  public Result train(List<Example> examples) {
    if (examples.stream().noneMatch(e -> e.label() == 1)
        || examples.stream().noneMatch(e -> e.label() == 0)) {
      throw new IllegalArgumentException(
          "training needs both positive (reference) and negative (random web) examples");
    }
    List<Example> shuffled = new ArrayList<>(examples);
    java.util.Collections.shuffle(shuffled, new Random(seed));
    int held = Math.max(1, shuffled.size() / 10);
    List<Example> test = shuffled.subList(0, held);
    List<Example> train = shuffled.subList(held, shuffled.size());

    int n = Signal.values().length;
    float[] mean = new float[n];
    float[] std = new float[n];
    standardisation(train, mean, std);
    QualityModel model = new QualityModel(bits, mean, std, new float[n], new float[1 << bits], 0f);
    double bias = 0;
    Features[] feats = new Features[train.size()];
    for (int i = 0; i < feats.length; i++) {
      feats[i] = Features.hashed(train.get(i).text(), bits, QualityModel.MAX_CHARS);
    }
    Adam dense = new Adam(n + 1);
    Adam sparse = new Adam(1 << bits);
    Random order = new Random(seed + 1);
    int[] idx = new int[train.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(idx, order);
      for (int i : idx) {
        Example e = train.get(i);
        double g = QualityModel.sigmoid(model.logit(e.signals(), feats[i], bias)) - e.label();
        for (int j = 0; j < n; j++) {
          model.dense[j] =
              (float)
                  dense.step(
                      j,
                      model.dense[j],
                      g * model.standardised(e.signals(), j) + l2 * model.dense[j],
                      learningRate);
        }
        bias = dense.step(n, bias, g, learningRate);
        for (int k = 0; k < feats[i].index.length; k++) {
          int h = feats[i].index[k];
          model.hashed[h] =
              (float)
                  sparse.step(
                      h,
                      model.hashed[h],
                      g * feats[i].value[k] + l2 * model.hashed[h],
                      learningRate);
        }
      }
    }
    model = new QualityModel(bits, mean, std, model.dense, model.hashed, (float) bias);
    double[] scores = new double[test.size()];
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      scores[i] = model.score(test.get(i).signals(), test.get(i).text());
      if ((scores[i] >= 0.5 ? 1 : 0) == test.get(i).label()) {
        correct++;
      }
    }
    return new Result(
        model, train.size(), test.size(), (double) correct / test.size(), auc(test, scores));
  }

  private static void standardisation(List<Example> train, float[] mean, float[] std) {
    for (int j = 0; j < mean.length; j++) {
      double sum = 0;
      double sq = 0;
      int count = 0;
      for (Example e : train) {
        double x = e.signals()[j];
        if (!Double.isNaN(x)) {
          sum += x;
          sq += x * x;
          count++;
        }
      }
      double m = count == 0 ? 0 : sum / count;
      double var = count == 0 ? 1 : sq / count - m * m;
      mean[j] = (float) m;
      std[j] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, var)));
    }
  }

  /**
   * Area under the ROC curve: the probability that a random positive outscores a random negative.
   */
  static double auc(List<Example> test, double[] scores) {
    long pos = 0;
    long neg = 0;
    double wins = 0;
    for (int i = 0; i < test.size(); i++) {
      for (int j = 0; j < test.size(); j++) {
        if (test.get(i).label() == 1 && test.get(j).label() == 0) {
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
      if (test.get(i).label() == 1) {
        pos++;
      } else {
        neg++;
      }
    }
    return pos == 0 || neg == 0 ? Double.NaN : wins / (pos * neg);
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Adam moments per parameter, with per-parameter step counts so sparse updates stay unbiased. */
  private static final class Adam {
    private final float[] m;
    private final float[] v;
    private final int[] t;

    Adam(int size) {
      m = new float[size];
      v = new float[size];
      t = new int[size];
    }

    double step(int i, double w, double grad, double lr) {
      t[i]++;
      m[i] = (float) (0.9 * m[i] + 0.1 * grad);
      v[i] = (float) (0.999 * v[i] + 0.001 * grad * grad);
      double mHat = m[i] / (1 - Math.pow(0.9, t[i]));
      double vHat = v[i] / (1 - Math.pow(0.999, t[i]));
      return w - lr * mHat / (Math.sqrt(vHat) + 1e-8);
    }
  }

  @Override
  public String toString() {
    return "QualityTrainer[bits="
        + bits
        + ", epochs="
        + epochs
        + ", lr="
        + learningRate
        + ", l2="
        + l2
        + ", seed="
        + seed
        + "]";
  }
}
