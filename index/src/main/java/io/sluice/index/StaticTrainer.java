package io.sluice.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Distils the document tower's query side into a {@link StaticEmbeddings} tower, in two steps.
 *
 * <p>Start (as Model2Vec does): every ordinary token of the vocabulary, written out as text, is
 * encoded as a query by the teacher, and its unit vector is scaled by the token's inverse document
 * frequency in the training texts (frequent tokens such as "the" would otherwise outweigh the
 * words that carry a query). Special and unused tokens start at zero and so add nothing.
 *
 * <p>Training (as Tokenlearn does): for each training text, the normalised sum of its token
 * vectors is pulled towards the teacher's embedding of the whole text with the loss {@code 1 −
 * cos(student, teacher)}, by Adam with lazy updates (only the rows of tokens in a batch move, each
 * with the global step's bias correction). Plain Java, one thread, deterministic for a seed.
 *
 * <p>Not thread-safe; mutates the tower it trains.
 */
final class StaticTrainer {

  /** Training settings (Adam with β = 0.9/0.999, ε = 1e-8). */
  record Settings(double lr, int epochs, int batch, long seed) {
    Settings {
      if (lr <= 0 || epochs < 0 || batch < 1) {
        throw new IllegalArgumentException(
            "bad training settings: lr=" + lr + " epochs=" + epochs + " batch=" + batch);
      }
    }
  }

  private static final Pattern UNUSED = Pattern.compile("\\[unused\\d+]|<unused\\d+>");

  private final StaticEmbeddings tower;
  private final Settings s;
  private final Adam adam;
  private long step;

  StaticTrainer(StaticEmbeddings tower, Settings s) {
    this.tower = tower;
    this.s = s;
    this.adam = new Adam(tower.vectors());
  }

  /**
   * A started tower and the token ids of the corpus it was started on (the training texts, so
   * they are tokenised once).
   */
  record Start(StaticEmbeddings tower, List<long[]> tokens) {}

  /**
   * The starting tower: teacher vectors of single tokens weighted by inverse document frequency.
   *
   * @param tokenizerJson the teacher's Hugging Face {@code tokenizer.json}
   * @param corpus texts whose token document frequencies weight the start
   * @param wholeVocabulary start every ordinary token, or only those the corpus has
   */
  static Start start(
      byte[] tokenizerJson,
      String where,
      OnnxEncoder teacher,
      List<String> corpus,
      boolean wholeVocabulary)
      throws IOException {
    String[] surface = surfaceForms(tokenizerJson, where);
    int vocab = surface.length;
    int dim = teacher.dim();
    StaticEmbeddings tower =
        new StaticEmbeddings(
            StaticEmbeddings.tokenizer(tokenizerJson, where), new float[vocab * dim], vocab, dim);
    List<long[]> tokens = new ArrayList<>(corpus.size());
    for (String text : corpus) {
      tokens.add(tower.tokens(text));
    }
    int[] df = documentFrequencies(vocab, tokens);
    List<String> texts = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (int id = 0; id < vocab; id++) {
      if (surface[id] != null && (wholeVocabulary || df[id] > 0)) {
        texts.add(surface[id]);
        ids.add(id);
      }
    }
    float[] unit = teacher.encodeQueries(texts, 64);
    double[] idf = idf(df, corpus.size());
    float[] e = tower.vectors();
    for (int i = 0; i < ids.size(); i++) {
      int id = ids.get(i);
      for (int k = 0; k < dim; k++) {
        e[id * dim + k] = (float) (idf[id] * unit[i * dim + k]);
      }
    }
    return new Start(tower, tokens);
  }

  /**
   * Each token id's text (continuation and word-boundary markers stripped), or null for special,
   * unused and empty tokens. Reads WordPiece and BPE vocabularies (token → id) and Unigram ones
   * (a list of [piece, score]).
   */
  static String[] surfaceForms(byte[] tokenizerJson, String where) throws IOException {
    JsonNode root = new ObjectMapper().readTree(tokenizerJson);
    JsonNode model = root.path("model");
    JsonNode vocab = model.path("vocab");
    String continuing = model.path("continuing_subword_prefix").asText("##");
    int size = 0;
    List<Map.Entry<String, Integer>> entries = new ArrayList<>();
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        entries.add(Map.entry(f.getKey(), f.getValue().asInt()));
      }
    } else if (vocab.isArray()) {
      for (int i = 0; i < vocab.size(); i++) {
        entries.add(Map.entry(vocab.get(i).path(0).asText(), i));
      }
    } else {
      throw new IllegalArgumentException(
          "tokenizer " + where + " has no model.vocab (not a Hugging Face tokenizer.json?)");
    }
    for (Map.Entry<String, Integer> e : entries) {
      size = Math.max(size, e.getValue() + 1);
    }
    JsonNode added = root.path("added_tokens");
    for (JsonNode a : added) {
      size = Math.max(size, a.path("id").asInt() + 1);
    }
    String[] out = new String[size];
    for (Map.Entry<String, Integer> e : entries) {
      String t = e.getKey();
      if (UNUSED.matcher(t).matches()) {
        continue;
      }
      if (t.startsWith(continuing)) {
        t = t.substring(continuing.length());
      }
      t = t.replace('\u0120', ' ').replace('\u2581', ' ').strip(); // BPE Ġ, SentencePiece ▁
      out[e.getValue()] = t.isEmpty() ? null : t;
    }
    for (JsonNode a : added) {
      if (a.path("special").asBoolean(false)) {
        out[a.path("id").asInt()] = null;
      }
    }
    return out;
  }

  /** In how many texts each token id occurs. */
  private static int[] documentFrequencies(int vocab, List<long[]> texts) {
    int[] df = new int[vocab];
    for (long[] text : texts) {
      long[] ids = text.clone();
      Arrays.sort(ids);
      for (int i = 0; i < ids.length; i++) {
        if ((i == 0 || ids[i] != ids[i - 1]) && ids[i] >= 0 && ids[i] < vocab) {
          df[(int) ids[i]]++;
        }
      }
    }
    return df;
  }

  /** Smoothed inverse document frequency of every token id, scaled to mean 1 over ids. */
  private static double[] idf(int[] df, int texts) {
    double[] idf = new double[df.length];
    double sum = 0;
    for (int t = 0; t < df.length; t++) {
      idf[t] = Math.log((texts + 1.0) / (df[t] + 1.0)) + 1;
      sum += idf[t];
    }
    double mean = sum / df.length;
    for (int t = 0; t < df.length; t++) {
      idf[t] /= mean;
    }
    return idf;
  }

  /**
   * Runs all epochs over (tokens, target) pairs in a seeded shuffled order.
   *
   * @param targets n × dim teacher embeddings (any length; compared by cosine)
   * @return the mean training loss of each epoch
   */
  double[] train(List<long[]> tokens, float[] targets) {
    int n = tokens.size();
    int dim = tower.dim();
    if (targets.length != n * dim) {
      throw new IllegalArgumentException(
          "dimension mismatch: " + n + " texts vs " + targets.length / dim + " targets");
    }
    Random r = new Random(s.seed() + 1);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    float[] grad = new float[tower.vectors().length];
    boolean[] touched = new boolean[tower.vocab()];
    int[] rows = new int[tower.vocab()];
    double[] curve = new double[s.epochs()];
    for (int e = 0; e < s.epochs(); e++) {
      EpochOrder.shuffle(order, r);
      double total = 0;
      for (int from = 0; from < n; from += s.batch()) {
        int to = Math.min(n, from + s.batch());
        int nRows = 0;
        for (int b = from; b < to; b++) {
          int i = order[b];
          total += backward(tokens.get(i), targets, i * dim, 1.0f / (to - from), grad);
          for (long id : tokens.get(i)) {
            if (id >= 0 && id < touched.length && !touched[(int) id]) {
              touched[(int) id] = true;
              rows[nRows++] = (int) id;
            }
          }
        }
        adam(grad, rows, nRows);
        for (int k = 0; k < nRows; k++) {
          touched[rows[k]] = false;
        }
      }
      curve[e] = total / n;
    }
    return curve;
  }

  /** Mean loss over pairs without training. */
  double loss(List<long[]> tokens, float[] targets) {
    int dim = tower.dim();
    float[] y = new float[dim];
    double total = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Arrays.fill(y, 0f);
      tower.sum(tokens.get(i), y, 0);
      total += 1 - cosine(y, targets, i * dim);
    }
    return tokens.isEmpty() ? 0 : total / tokens.size();
  }

  private static double cosine(float[] y, float[] t, int tOff) {
    double yy = 0;
    double tt = 0;
    double yt = 0;
    for (int k = 0; k < y.length; k++) {
      yy += y[k] * y[k];
      tt += t[tOff + k] * t[tOff + k];
      yt += y[k] * t[tOff + k];
    }
    return yy == 0 || tt == 0 ? 0 : yt / Math.sqrt(yy * tt);
  }

  /**
   * Adds {@code scale ·} dL/dE of one pair into {@code grad}; returns its loss. With s the sum of
   * the token vectors, y = s/|s| and t̂ the unit target, L = 1 − y·t̂ and dL/ds = −(t̂ − (y·t̂)y)/|s|,
   * which every token of the text receives once per occurrence.
   */
  private double backward(long[] ids, float[] targets, int tOff, float scale, float[] grad) {
    int dim = tower.dim();
    float[] sum = new float[dim];
    tower.sum(ids, sum, 0);
    double ss = 0;
    double tt = 0;
    for (int k = 0; k < dim; k++) {
      ss += sum[k] * sum[k];
      tt += targets[tOff + k] * targets[tOff + k];
    }
    if (ss == 0 || tt == 0) {
      return 1;
    }
    double ns = Math.sqrt(ss);
    double nt = Math.sqrt(tt);
    double cos = 0;
    for (int k = 0; k < dim; k++) {
      cos += sum[k] / ns * targets[tOff + k] / nt;
    }
    float[] ds = new float[dim];
    for (int k = 0; k < dim; k++) {
      double y = sum[k] / ns;
      ds[k] = (float) (-(targets[tOff + k] / nt - cos * y) / ns * scale);
    }
    for (long id : ids) {
      if (id >= 0 && id < tower.vocab()) {
        int row = (int) id * dim;
        for (int k = 0; k < dim; k++) {
          grad[row + k] += ds[k];
        }
      }
    }
    return 1 - cos;
  }

  /** One lazy Adam step over the rows a batch touched; clears their gradients. */
  private void adam(float[] grad, int[] rows, int nRows) {
    float size = Adam.stepSize(s.lr(), ++step);
    int dim = tower.dim();
    for (int k = 0; k < nRows; k++) {
      int from = rows[k] * dim;
      adam.update(grad, from, from + dim, size);
      Arrays.fill(grad, from, from + dim, 0f);
    }
  }
}
