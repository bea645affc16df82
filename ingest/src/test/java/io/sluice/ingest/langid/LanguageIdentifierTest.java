package io.sluice.ingest.langid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageIdentifierTest {
  private static LanguageIdentifier id;

  @BeforeAll
  static void load() {
    id = LanguageIdentifier.load();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "en | The quick brown fox jumps over the lazy dog while the children watch from the"
            + " window.",
        "de | Die Katze sitzt auf der Fensterbank und beobachtet die Vögel im Garten hinter dem"
            + " Haus.",
        "fr | Le chat est assis sur le rebord de la fenêtre et regarde les oiseaux dans le jardin.",
        "es | El gato está sentado en la ventana y mira los pájaros que vuelan en el jardín.",
        "it | Il gatto è seduto sul davanzale e guarda gli uccelli che volano nel giardino.",
        "pt | O gato está sentado na janela e observa os pássaros que voam no jardim da casa.",
        "nl | De kat zit op de vensterbank en kijkt naar de vogels in de tuin achter het huis.",
        "pl | Kot siedzi na parapecie i obserwuje ptaki latające w ogrodzie za domem.",
        "tr | Kedi pencerenin önünde oturuyor ve bahçedeki kuşları izliyor.",
        "sv | Katten sitter på fönsterbrädan och tittar på fåglarna i trädgården bakom huset.",
        "ru | Кошка сидит на подоконнике и наблюдает за птицами в саду за домом.",
        "uk | Кішка сидить на підвіконні й спостерігає за птахами в саду за будинком.",
        "el | Η γάτα κάθεται στο περβάζι και παρακολουθεί τα πουλιά στον κήπο πίσω από το σπίτι.",
        "ar | تجلس القطة على حافة النافذة وتراقب الطيور في الحديقة خلف المنزل.",
        "fa | گربه روی لبه پنجره نشسته است و پرندگان را در باغ پشت خانه تماشا می کند.",
        "he | החתול יושב על אדן החלון ומסתכל על הציפורים בגינה שמאחורי הבית.",
        "hi | बिल्ली खिड़की पर बैठी है और घर के पीछे बगीचे में पक्षियों को देख रही है।",
        "zh | 猫坐在窗台上，看着房子后面花园里的鸟。",
        "ja | 猫は窓辺に座って、家の裏の庭にいる鳥を見ています。",
        "ko | 고양이가 창턱에 앉아 집 뒤 정원에 있는 새들을 보고 있습니다.",
        "th | แมวนั่งอยู่บนขอบหน้าต่างและมองดูนกในสวนหลังบ้าน",
        "vi | Con mèo ngồi trên bậu cửa sổ và ngắm những con chim trong khu vườn phía sau nhà.",
      })
  void identifiesASentence(String expected, String text) {
    LanguageGuess g = id.identify(text);
    assertEquals(expected, g.lang(), text);
    assertTrue(g.score() > 0.5f && g.score() <= 1f, "score " + g.score());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Russian prose around English commands: judged by the prose
        "ru | Чтобы установить пакет, выполните команду apt-get install nginx и перезапустите"
            + " службу systemctl restart nginx.",
        "zh | 使用 apt-get install nginx 命令安装软件包，然后运行 systemctl restart nginx 重新启动服务。",
        "ja | パッケージをインストールするには apt-get install nginx を実行してください。",
        "ar | لتثبيت الحزمة، نفذ الأمر apt-get install nginx ثم أعد تشغيل الخدمة.",
        // a few foreign words in English prose do not flip the page
        "en | We met in Moscow at a café called Москва and talked about the weather for an hour or"
            + " so.",
      })
  void mixedScriptFollowsTheProse(String expected, String text) {
    assertEquals(expected, id.identify(text).lang(), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "   \n\t  ",
        "1234567890",
        "3.14159 2.71828 42 -7",
        "😀😀🎉🎉👍",
        "!!! ??? ...",
        "\uD800",
        "\uDC00\uD800\uDC00\uDFFF",
        "ab",
        "𝟘𝟙𝟚𝟛",
        "ሰላም ልዑል ዓለም ሰላም"
      })
  void noSignalIsUnd(String text) {
    LanguageGuess g = id.identify(text);
    assertEquals("und", g.lang(), text);
    assertEquals(0f, g.score());
  }

  @Test
  void nullIsUnd() {
    assertEquals("und", id.identify(null).lang());
  }

  @Test
  void unpairedSurrogatesInsideTextAreSkipped() {
    String text =
        "Die Katze \uD800sitzt auf der \uDC00Fensterbank und beobachtet die Vögel im Garten.\uD83D";
    assertEquals("de", id.identify(text).lang());
  }

  @Test
  void fiftyMegabyteTextIsSampledNotScannedWhole() {
    String paragraph =
        "Die Katze sitzt auf der Fensterbank und beobachtet die Vögel im Garten hinter dem Haus. ";
    String huge =
        "Home | About | Contact | Login ".repeat(200)
            + paragraph.repeat(50_000_000 / paragraph.length());
    assertTrue(huge.length() >= 50_000_000);
    for (int i = 0; i < 20; i++) { // warm up the JIT
      id.identify(huge);
    }
    long t0 = System.nanoTime();
    LanguageGuess g = id.identify(huge);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("de", g.lang());
    // Real cost is about a millisecond; a linear scan of 50 MB would take far longer than this
    // bound.
    assertTrue(ms < 200, "took " + ms + " ms");
  }

  @Test
  void acceptsAnyCharSequence() {
    StringBuilder sb =
        new StringBuilder("Le chat est assis sur le rebord de la fenêtre et regarde les oiseaux.");
    assertEquals("fr", id.identify(sb).lang());
  }

  @Test
  void languagesCoverLinguaSet() {
    assertEquals(75, id.languages().size());
    assertTrue(
        id.languages()
            .containsAll(List.of("en", "de", "zh", "ja", "ko", "nb", "pt", "ar", "fa", "vi")));
    assertThrows(UnsupportedOperationException.class, () -> id.languages().add("xx"));
  }

  @Test
  void threadsAgree() {
    List<String> texts =
        List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Кошка сидит на подоконнике.",
            "猫坐在窗台上，看着房子后面花园里的鸟。",
            "Kot siedzi na parapecie i obserwuje ptaki.");
    List<String> serial = texts.stream().map(t -> id.identify(t).lang()).toList();
    IntStream.range(0, 2000)
        .parallel()
        .forEach(
            i ->
                assertEquals(
                    serial.get(i % texts.size()), id.identify(texts.get(i % texts.size())).lang()));
  }

  @Test
  void corruptedModelFailsWithClearError() throws IOException {
    byte[] model = bundledBytes();
    byte[] corrupt = model.clone();
    corrupt[corrupt.length / 2] ^= 0x40;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                LanguageModel.read(
                    new ByteArrayInputStream(corrupt), "io/sluice/ingest/langid/langid-model.bin"));
    assertTrue(e.getMessage().contains("io/sluice/ingest/langid/langid-model.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());

    byte[] badMagic = model.clone();
    badMagic[0] = 'X';
    e =
        assertThrows(
            IllegalStateException.class,
            () -> LanguageModel.read(new ByteArrayInputStream(badMagic), "model.bin"));
    assertTrue(
        e.getMessage().contains("model.bin") && e.getMessage().contains("magic"), e.getMessage());

    e =
        assertThrows(
            IllegalStateException.class,
            () -> LanguageModel.read(new ByteArrayInputStream(new byte[7]), "short.bin"));
    assertTrue(e.getMessage().contains("short.bin"), e.getMessage());
  }

  @Test
  void bundledModelRoundTrips() throws IOException {
    LanguageModel m = LanguageModel.read(new ByteArrayInputStream(bundledBytes()), "copy");
    assertEquals(id.languages().size(), m.languageCount());
  }

  private static byte[] bundledBytes() throws IOException {
    try (InputStream in = LanguageModel.class.getResourceAsStream(LanguageModel.RESOURCE)) {
      return in.readAllBytes();
    }
  }
}
