package io.sluice.ingest.langid;

/**
 * One identification: script census, then naive-Bayes n-gram scoring over the sampled windows.
 *
 * <p>The census weighs letters by script ({@link Scripts#weight}); the dominant script picks the
 * candidates. One candidate (Greek, Hebrew, Korean, ...) wins outright; Han/Kana is settled by the
 * Kana share; otherwise the candidates are scored on hashed 1- to 4-grams of the dominant script's
 * words.
 *
 * <p>Instances are per call (the score arrays are scratch), which keeps {@link LanguageIdentifier}
 * free of shared mutable state. The inner loop works on code points in an {@code int[4]} shift
 * register and accumulates integer bonuses, so it allocates nothing per n-gram.
 *
 * <p>Score of language L = sum over scored n-grams g of log P_L(g), where an n-gram L's model lacks
 * costs L's floor for that order. Written as {@code count_n * floor_L,n + sum(bonus)}, only the
 * languages that actually know g are touched.
 */
final class Scorer {
  /** Letters (script-weighted) needed before we name a language at all. */
  static final int MIN_SIGNAL = 4;

  /** Letters (script-weighted) at which the signal factor of the confidence reaches 1. */
  static final double FULL_SIGNAL = 24;

  /**
   * Evidence cap for the posterior: score differences are rescaled as if at most this many n-grams
   * had been seen, because n-grams are far from independent and an uncapped posterior would be 1.0
   * for almost every page.
   */
  static final double EVIDENCE_CAP = 40;

  /**
   * The sample is scored in this many slices (a multiple of {@link Sampler#WINDOWS} and of
   * ROUNDS)...
   */
  static final int SLICES = 16;

  /** ...in this many rounds, with a chance to stop early after each. */
  static final int ROUNDS = 4;

  /**
   * Log-likelihood lead (nats) after which further rounds cannot change the answer in practice.
   * Close pairs (nb/da, id/ms, hr/bs) separate by roughly 0.1-0.3 nats per n-gram, so this is
   * several hundred n-grams of consistent evidence; most single-language pages stop after the first
   * round.
   */
  static final double DECISIVE_GAP = 1000;

  /** Share of Kana among Han/Kana letters from which a text is Japanese rather than Chinese. */
  static final double MIN_KANA_SHARE = 0.05;

  /** Extra census slot counting Kana letters. */
  private static final int KANA = Scripts.COUNT;

  private final LanguageModel model;
  private final CharSequence text;
  private final int[] bounds;

  Scorer(LanguageModel model, CharSequence text, int[] bounds) {
    this.model = model;
    this.text = text;
    this.bounds = bounds;
  }

  LanguageGuess run() {
    int[] census = new int[KANA + 1];
    for (int w = 0; w < bounds.length; w += 2) {
      censusWindow(bounds[w], bounds[w + 1], census);
    }
    int dominant = Scripts.OTHER;
    for (int s = 1; s < Scripts.COUNT; s++) {
      if (census[s] > census[dominant]) {
        dominant = s;
      }
    }
    int signal = census[dominant];
    if (dominant == Scripts.OTHER || signal < MIN_SIGNAL) {
      return LanguageGuess.UNKNOWN;
    }
    int nLangs = model.languageCount();
    int candidates = 0;
    int only = -1;
    for (int l = 0; l < nLangs; l++) {
      if (model.scripts[l] == dominant) {
        candidates++;
        only = l;
      }
    }
    if (candidates == 0) {
      return LanguageGuess.UNKNOWN;
    }
    double signalFactor = Math.min(1.0, signal / FULL_SIGNAL);
    if (candidates == 1) {
      return new LanguageGuess(model.codes[only], (float) signalFactor);
    }
    if (dominant == Scripts.CJ) {
      return chineseOrJapanese(
          census[KANA], census[Scripts.CJ] / Scripts.weight(Scripts.CJ), signalFactor);
    }
    int[] bonus = new int[nLangs];
    int[] grams = new int[LanguageModel.MAX_ORDER + 1];
    // Score in rounds. The sample is cut into SLICES slices at word boundaries; round r takes
    // slices
    // r, r + ROUNDS, r + 2 * ROUNDS, ..., so every round draws from the whole sample (navigation at
    // the
    // top cannot decide alone), and scoring stops once the leader cannot plausibly be caught.
    int[] cuts = slices();
    for (int r = 0; r < ROUNDS; r++) {
      for (int k = r; k < SLICES; k += ROUNDS) {
        scoreWindow(cuts[2 * k], cuts[2 * k + 1], dominant, bonus, grams);
      }
      if (r < ROUNDS - 1 && decided(dominant, bonus, grams)) {
        break;
      }
    }
    return decide(dominant, bonus, grams, signalFactor);
  }

  /**
   * Japanese prose is 40-70% Kana; Chinese uses none beyond the odd quoted name. Lingua's unigram
   * tables cannot separate Han-only text reliably (its Japanese table is full of Han), so, like
   * Lingua's own rule, Kana decide: at least {@link #MIN_KANA_SHARE} of the Han/Kana letters means
   * Japanese.
   */
  private LanguageGuess chineseOrJapanese(int kana, int cjLetters, double signalFactor) {
    double share = cjLetters == 0 ? 0 : (double) kana / cjLetters;
    boolean japanese = share >= MIN_KANA_SHARE;
    // confidence falls to 0.5 at the threshold and reaches 1 at no Kana (zh) or 3x the threshold
    // (ja)
    double certainty =
        japanese
            ? 0.5 + 0.5 * Math.min(1.0, (share - MIN_KANA_SHARE) / (2 * MIN_KANA_SHARE))
            : 1.0 - 0.5 * share / MIN_KANA_SHARE;
    return new LanguageGuess(japanese ? "ja" : "zh", (float) (certainty * signalFactor));
  }

  private void censusWindow(int start, int end, int[] census) {
    for (int i = start; i < end; ) {
      char c = text.charAt(i++);
      int cp = c;
      if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(text.charAt(i))) {
        cp = Character.toCodePoint(c, text.charAt(i++));
      }
      if (isLetter(cp)) {
        int s = Scripts.of(cp);
        census[s] += Scripts.weight(s);
        if (s == Scripts.CJ && Scripts.isKana(cp)) {
          census[KANA]++;
        }
      }
    }
  }

  private void scoreWindow(int start, int end, int dominant, int[] bonus, int[] grams) {
    final int[] reg = new int[LanguageModel.MAX_ORDER];
    final short[] entries = model.entries;
    int have = 0;
    for (int i = start; i < end; ) {
      char c = text.charAt(i++);
      int cp = c;
      if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(text.charAt(i))) {
        cp = Character.toCodePoint(c, text.charAt(i++));
      }
      // Words in other scripts (English commands on a Russian page) are separators here: they say
      // nothing about which Cyrillic language this is.
      if (!isLetter(cp) || Scripts.of(cp) != dominant) {
        have = 0;
        continue;
      }
      reg[0] = reg[1];
      reg[1] = reg[2];
      reg[2] = reg[3];
      reg[3] = cp < 0x80 ? (cp | 0x20) : Character.toLowerCase(cp);
      if (have < LanguageModel.MAX_ORDER) {
        have++;
      }
      for (int n = 1; n <= have; n++) {
        grams[n]++;
        int at = model.find(NgramHash.key(reg, LanguageModel.MAX_ORDER, n));
        if (at < 0) {
          continue;
        }
        int e;
        do {
          e = entries[at++];
          bonus[(e >>> 8) & 0x7F] += e & 0xFF;
        } while (e >= 0);
      }
    }
  }

  /**
   * SLICES [start, end) pairs covering the windows in order, each window cut evenly at word
   * boundaries.
   */
  private int[] slices() {
    int windows = bounds.length / 2;
    int[] cuts = new int[2 * SLICES];
    int k = 0;
    for (int w = 0; w < windows; w++) {
      int start = bounds[2 * w];
      int end = bounds[2 * w + 1];
      int parts = SLICES / windows;
      int prev = start;
      for (int p = 1; p <= parts; p++) {
        int cut =
            p == parts
                ? end
                : Math.min(
                    end,
                    Sampler.toBoundary(text, start + (int) ((long) (end - start) * p / parts)));
        cut = Math.max(prev, cut);
        cuts[2 * k] = prev;
        cuts[2 * k + 1] = cut;
        k++;
        prev = cut;
      }
    }
    return cuts;
  }

  /**
   * True when the leader is ahead of every other candidate by at least {@link #DECISIVE_GAP} nats.
   */
  private boolean decided(int dominant, int[] bonus, int[] grams) {
    double best = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (int l = 0; l < model.languageCount(); l++) {
      if (model.scripts[l] != dominant) {
        continue;
      }
      double s = score(l, bonus, grams);
      if (s > best) {
        second = best;
        best = s;
      } else if (s > second) {
        second = s;
      }
    }
    return best - second >= DECISIVE_GAP;
  }

  private double score(int lang, int[] bonus, int[] grams) {
    double s = (double) bonus[lang] / LanguageModel.QUANT;
    for (int n = 1; n <= LanguageModel.MAX_ORDER; n++) {
      s += grams[n] * (double) model.floor(lang, n);
    }
    return s;
  }

  private LanguageGuess decide(int dominant, int[] bonus, int[] grams, double signalFactor) {
    int nLangs = model.languageCount();
    int totalGrams = 0;
    for (int n = 1; n <= LanguageModel.MAX_ORDER; n++) {
      totalGrams += grams[n];
    }
    if (totalGrams == 0) {
      return LanguageGuess.UNKNOWN;
    }
    double[] score = new double[nLangs];
    int best = -1;
    for (int l = 0; l < nLangs; l++) {
      if (model.scripts[l] != dominant) {
        continue;
      }
      double s = score(l, bonus, grams);
      score[l] = s;
      if (best < 0 || s > score[best]) {
        best = l;
      }
    }
    // Softmax posterior of the winner with evidence capped at EVIDENCE_CAP n-grams.
    double scale = Math.min(1.0, EVIDENCE_CAP / totalGrams);
    double sum = 0;
    for (int l = 0; l < nLangs; l++) {
      if (model.scripts[l] == dominant) {
        sum += Math.exp((score[l] - score[best]) * scale);
      }
    }
    double posterior = 1.0 / sum;
    return new LanguageGuess(model.codes[best], (float) (posterior * signalFactor));
  }

  /** Letters only: Lingua's models split words at marks and digits, and so must we. */
  private static boolean isLetter(int cp) {
    if (cp < 0x80) {
      return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    }
    return Character.isLetter(cp);
  }
}
