package io.sluice.filtering.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.testing.SharedData;
import io.sluice.filtering.signals.Signals;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class QualityModelTest {

  private static List<String> texts(Path jsonlGz) throws IOException {
    List<String> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(jsonlGz)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = json.readTree(line);
        out.add(n.get("text").asText());
      }
    }
    return out;
  }

  @Test
  void learnsASeparableProblemAndRoundTripsThroughItsFileFormat() throws IOException {
    Random rnd = new Random(7);
    String[] good = {
      "analysis", "method", "result", "evidence", "study", "measure", "theory", "data"
    };
    String[] bad = {"click", "buy", "cheap", "free", "now", "win", "deal", "offer"};
    List<QualityTrainer.Example> ex = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int label = i % 2;
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < 40; w++) {
        sb.append((label == 1 ? good : bad)[rnd.nextInt(8)]).append(' ');
      }
      String t = sb.toString();
      ex.add(new QualityTrainer.Example(Signals.of(t, "web", "en"), t, label));
    }
    QualityTrainer.Result r = new QualityTrainer(12, 3, 0.05, 1e-6, 1).train(ex);
    assertTrue(r.heldOutAccuracy() > 0.95, "accuracy " + r.heldOutAccuracy());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    r.model().write(buf);
    QualityModel back = QualityModel.read(new ByteArrayInputStream(buf.toByteArray()), "mem");
    String t = ex.get(0).text();
    assertEquals(r.model().score(ex.get(0).signals(), t), back.score(ex.get(0).signals(), t), 0);

    byte[] corrupt = buf.toByteArray();
    corrupt[100] ^= 1;
    IOException e =
        assertThrows(
            IOException.class,
            () -> QualityModel.read(new ByteArrayInputStream(corrupt), "bad.bin"));
    assertTrue(
        e.getMessage().contains("checksum") && e.getMessage().contains("bad.bin"), e.getMessage());
  }

  /** The bundled model ranks Debian documentation above random Common Crawl text. */
  @Test
  void bundledModelPrefersReferenceTextOverRandomWeb() throws IOException {
    QualityModel model = QualityModel.bundled();
    List<String> reference = new ArrayList<>();
    for (String book :
        texts(SharedData.file("web/multilingual-docs/debian-reference-2.100-text.jsonl.gz"))
            .subList(0, 1)) {
      String[] paras = book.split("\n\n");
      for (int i = 0; i + 8 < paras.length && reference.size() < 200; i += 8) {
        reference.add(String.join("\n\n", java.util.Arrays.asList(paras).subList(i, i + 8)));
      }
    }
    List<String> web = new ArrayList<>();
    for (String f :
        List.of(
            "web/ccnet/cc_en_head-0091.dolma-tests.jsonl.gz",
            "web/ccnet/cc_en_head-0174.dolma-tests.jsonl.gz")) {
      web.addAll(texts(SharedData.file(f)));
    }
    List<QualityTrainer.Example> all = new ArrayList<>();
    double[] scores = new double[reference.size() + web.size()];
    int i = 0;
    for (String t : reference) {
      all.add(new QualityTrainer.Example(null, t, 1));
      scores[i++] = model.score(Signals.of(t, "web", "en"), t);
    }
    for (String t : web) {
      all.add(new QualityTrainer.Example(null, t, 0));
      scores[i++] = model.score(Signals.of(t, "web", "en"), t);
    }
    double auc = QualityTrainer.auc(all, scores);
    assertTrue(auc > 0.8, "ROC AUC of reference vs CCNet text: " + auc);
  }
}
