package io.sluice.ingest.langid;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Developer tool: handbook accuracy of a model file. {@code java ... LangIdEval [model.bin]} */
public final class LangIdEval {
    private LangIdEval() {
    }

    public static void main(String[] args) throws Exception {
        LanguageIdentifier id;
        if (args.length > 0) {
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                id = new LanguageIdentifier(LanguageModel.read(in, args[0]));
            }
        } else {
            id = LanguageIdentifier.load();
        }
        long t0 = System.nanoTime();
        List<SharedCorpora.Page> pages = SharedCorpora.handbook(SharedCorpora.root(), t -> true);
        System.out.printf("loaded %d pages in %.1fs%n", pages.size(), (System.nanoTime() - t0) / 1e9);
        Map<String, int[]> per = new TreeMap<>();
        int ok = 0;
        int n = 0;
        for (SharedCorpora.Page p : pages) {
            if (!p.translated()) {
                continue;
            }
            LanguageGuess g = id.identify(p.text());
            int[] c = per.computeIfAbsent(p.expected(), k -> new int[2]);
            c[0]++;
            n++;
            if (g.lang().equals(p.expected())) {
                ok++;
            } else {
                c[1]++;
                System.out.printf("MISS %s %s -> %s %.2f overlap=%.2f len=%d%n", p.tag(), p.path(), g.lang(), g.score(),
                        p.overlap(), p.text().length());
            }
        }
        per.forEach((k, v) -> System.out.printf("%s %d/%d%n", k, v[0] - v[1], v[0]));
        System.out.printf("accuracy %.4f (%d/%d)%n", (double) ok / n, ok, n);
    }
}
