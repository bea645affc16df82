package io.sluice.ingest.langid;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds {@code langid-model.bin} from the n-gram tables inside Lingua's jar ({@code
 * language-models/<iso>/{unigrams,bigrams,trigrams,quadrigrams}.json}, Apache-2.0).
 *
 * <p>Lingua stores, per language, reduced fractions: P(c) for unigrams and the conditional P(last
 * char | preceding chars) for longer n-grams. We chain them into joint probabilities P(abc) = P(a)
 * P(b|a) P(c|ab) (what a bag-of-n-grams naive Bayes wants), keep an n-gram only where its joint
 * probability reaches {@link #MIN_PROB} for its order (rarer n-grams are mostly names and noise,
 * and they are most of the table), and store {@code round((ln P - floor) * QUANT)} in one byte.
 * Five-grams are not used: Lingua's five-gram tables are larger than all lower orders together, and
 * 1- to 4-grams already reach 0.995 on the translated handbook pages. Thresholds of 1e-7 (unigrams)
 * and 1e-6 (2- to 4-grams) give 0.54 M keys and 1.6 M (key, language) entries, a 4.0 MB resource;
 * halving or tripling the table (3e-6 or 3e-7) changed handbook accuracy by nothing and agreement
 * with Lingua on 60- and 200-char snippets by under 0.3 points, so the middle setting was kept.
 *
 * <p>Regenerate (from the repository root; Lingua is a test dependency of {@code ingest}):
 *
 * <pre>
 * mvn -q -pl ingest test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/langid.cp -Dmdep.includeScope=test
 * java -cp "$(cat /tmp/langid.cp):ingest/target/classes:ingest/target/test-classes" \
 *     io.sluice.ingest.langid.LanguageModelGenerator \
 *     ingest/src/main/resources/io/sluice/ingest/langid/langid-model.bin
 * </pre>
 *
 * The output is deterministic for a given Lingua jar.
 */
public final class LanguageModelGenerator {
  /** The 75 languages of Lingua 1.2.2, by ISO 639-1 code (its model directory names). */
  static final List<String> LANGUAGES =
      List.of(
          "af", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo",
          "es", "et", "eu", "fa", "fi", "fr", "ga", "gu", "he", "hi", "hr", "hu", "hy", "id", "is",
          "it", "ja", "ka", "kk", "ko", "la", "lg", "lt", "lv", "mi", "mk", "mn", "mr", "ms", "nb",
          "nl", "nn", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "sn", "so", "sq", "sr", "st", "sv",
          "sw", "ta", "te", "th", "tl", "tn", "tr", "ts", "uk", "ur", "vi", "xh", "yo", "zh", "zu");

  private static final String[] FILES = {null, "unigrams", "bigrams", "trigrams", "quadrigrams"};

  /** Minimum joint probability kept, per order (index = n). */
  static final double[] MIN_PROB = {0, 1e-7, 1e-6, 1e-6, 1e-6};

  /**
   * Log-probability charged for an unseen n-gram, per order: a little below the pruning threshold.
   */
  static final double[] FLOOR = new double[LanguageModel.MAX_ORDER + 1];

  static {
    for (int n = 1; n <= LanguageModel.MAX_ORDER; n++) {
      FLOOR[n] = Math.log(MIN_PROB[n]) - 1.0;
    }
  }

  private LanguageModelGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: LanguageModelGenerator <output langid-model.bin>");
    }
    byte[] model = generate();
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, model);
    System.out.println("wrote " + out + " (" + model.length + " bytes)");
  }

  static byte[] generate() throws IOException {
    int nLangs = LANGUAGES.size();
    // key -> (lang << 8 | bonus) entries
    Int2ObjectOpenHashMap<int[]> table = new Int2ObjectOpenHashMap<>();
    int[] scripts = new int[nLangs];
    int[] maxOrder = new int[nLangs];
    for (int l = 0; l < nLangs; l++) {
      String code = LANGUAGES.get(l);
      Map<String, Double> joint = new HashMap<>();
      for (int n = 1; n <= LanguageModel.MAX_ORDER; n++) {
        Map<String, Double> cond = readLingua(code, FILES[n]);
        if (cond == null) {
          break;
        }
        maxOrder[l] = n;
        for (Map.Entry<String, Double> e : cond.entrySet()) {
          String g = e.getKey();
          double p = e.getValue();
          if (n > 1) {
            Double prefix = joint.get(g.substring(0, g.offsetByCodePoints(0, n - 1)));
            if (prefix == null) {
              continue;
            }
            p *= prefix;
          }
          joint.put(g, p);
        }
      }
      double[] scriptMass = new double[Scripts.COUNT];
      for (Map.Entry<String, Double> e : joint.entrySet()) {
        String g = e.getKey();
        int n = g.codePointCount(0, g.length());
        if (n == 1) {
          scriptMass[Scripts.of(g.codePointAt(0))] += e.getValue();
        }
        if (e.getValue() < MIN_PROB[n]) {
          continue;
        }
        int bonus = (int) Math.round((Math.log(e.getValue()) - FLOOR[n]) * LanguageModel.QUANT);
        bonus = Math.max(1, Math.min(255, bonus));
        add(table, NgramHash.key(g), l << 8 | bonus);
      }
      for (int s = 1; s < Scripts.COUNT; s++) {
        if (scriptMass[s] > scriptMass[scripts[l]]) {
          scripts[l] = s;
        }
      }
    }
    return serialize(table, scripts, maxOrder);
  }

  private static void add(Int2ObjectOpenHashMap<int[]> table, int key, int entry) {
    int[] old = table.get(key);
    if (old == null) {
      table.put(key, new int[] {entry});
      return;
    }
    for (int i = 0; i < old.length; i++) {
      if (old[i] >>> 8 == entry >>> 8) {
        // 32-bit key collision inside one language: keep the larger bonus
        old[i] = Math.max(old[i], entry);
        return;
      }
    }
    int[] grown = Arrays.copyOf(old, old.length + 1);
    grown[old.length] = entry;
    table.put(key, grown);
  }

  private static byte[] serialize(Int2ObjectOpenHashMap<int[]> table, int[] scripts, int[] maxOrder)
      throws IOException {
    ByteArrayOutputStream rawBytes = new ByteArrayOutputStream();
    DataOutputStream raw = new DataOutputStream(rawBytes);
    raw.writeInt(LANGUAGES.size());
    for (int l = 0; l < LANGUAGES.size(); l++) {
      raw.writeUTF(LANGUAGES.get(l));
      raw.writeByte(scripts[l]);
      for (int n = 1; n <= LanguageModel.MAX_ORDER; n++) {
        // Languages without order-n tables (Lingua has only unigrams for single-language scripts)
        // get floor 0: they compete only with each other, on unigrams.
        raw.writeFloat(n <= maxOrder[l] ? (float) FLOOR[n] : 0f);
      }
    }
    int[] keys = table.keySet().toIntArray();
    // unsigned order so the deltas are non-negative
    long[] sorted = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      sorted[i] = keys[i] & 0xFFFFFFFFL;
    }
    Arrays.sort(sorted);
    raw.writeInt(sorted.length);
    long prev = 0;
    for (long k : sorted) {
      writeVarint(raw, k - prev);
      prev = k;
    }
    for (long k : sorted) {
      raw.writeByte(table.get((int) k).length);
    }
    for (long k : sorted) {
      int[] es = table.get((int) k).clone();
      Arrays.sort(es);
      for (int e : es) {
        raw.writeByte(e >>> 8);
        raw.writeByte(e & 0xFF);
      }
    }
    raw.flush();
    byte[] payload = rawBytes.toByteArray();
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(payload);
    deflater.finish();
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    while (!deflater.finished()) {
      deflated.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(file);
    out.writeInt(LanguageModel.MAGIC);
    out.writeInt(LanguageModel.VERSION);
    out.writeInt(payload.length);
    out.writeInt(deflated.size());
    deflated.writeTo(out);
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(file.toByteArray());
    out.writeLong(crc.getValue());
    out.flush();
    System.err.printf(
        "keys=%d entries=%d raw=%d deflated=%d%n",
        sorted.length,
        table.values().stream().mapToInt(a -> a.length).sum(),
        payload.length,
        deflated.size());
    return file.toByteArray();
  }

  private static void writeVarint(DataOutputStream out, long v) throws IOException {
    while (v >= 0x80) {
      out.writeByte((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Lingua's table as n-gram -> probability, or null when Lingua has no table of that order. */
  private static Map<String, Double> readLingua(String code, String file) throws IOException {
    String resource = "/language-models/" + code + "/" + file + ".json";
    try (InputStream in = LanguageModelGenerator.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Map<String, Object> root = Json.object(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      @SuppressWarnings("unchecked")
      Map<String, Object> ngrams = (Map<String, Object>) root.get("ngrams");
      Map<String, Double> probs = new HashMap<>();
      for (Map.Entry<String, Object> e : ngrams.entrySet()) {
        String frac = e.getKey();
        int slash = frac.indexOf('/');
        double p =
            Double.parseDouble(frac.substring(0, slash))
                / Double.parseDouble(frac.substring(slash + 1));
        for (String g : ((String) e.getValue()).split(" ")) {
          if (!g.isEmpty()) {
            probs.put(g, p);
          }
        }
      }
      return probs;
    }
  }
}
