package io.sluice.ingest.extract;

import java.io.IOException;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/** Developer tool: explains the selection for pages of the shared set. Usage: {@code DebugTool index...}. */
final class DebugTool {
    private DebugTool() {
    }

    public static void main(String[] args) throws IOException {
        List<EvalCorpus.Page> pages = EvalCorpus.trafilaturaPages();
        if (args[0].equals("tally")) {
            tally(pages);
            return;
        }
        for (String a : args) {
            EvalCorpus.Page p = pages.get(Integer.parseInt(a));
            Element body = Jsoup.parse(p.html()).body();
            PageModel m = DomFlattener.flatten(body);
            ContentSelector cs = new ContentSelector(m);
            Selection sel = cs.select();
            System.out.println("=== #" + a + " " + p.url());
            System.out.println("top: " + path(m, cs.top()));
            for (String w : p.goldWith()) {
                explain(m, cs, sel, w, "WITH");
            }
            for (String w : p.goldWithout()) {
                explain(m, cs, sel, w, "WITHOUT");
            }
        }
    }

    private static void explain(PageModel m, ContentSelector cs, Selection sel, String snippet, String label) {
        String n = ExtractionScore.normalize(snippet);
        for (int bi = 0; bi < m.blocks.size(); bi++) {
            Block b = m.blocks.get(bi);
            if (ExtractionScore.normalize(b.text()).contains(n)) {
                int nb = cs.nearestBoiler(b.owner());
                System.out.printf("  %s %s [%s] kept=%s chars=%d ld=%.2f%n     owner=%s%n     boiler=%s%n", label,
                        snippet, Byte.toString(b.kind()), sel.blocks().contains(bi), b.chars(), b.linkDensity(),
                        path(m, b.owner()), nb >= 0 ? path(m, nb) : "-");
                return;
            }
        }
        System.out.println("  " + label + " " + snippet + " : not in a single block");
    }

    /** For snippets inside flagged elements: which attribute values cost recall and which saved precision. */
    private static void tally(List<EvalCorpus.Page> pages) {
        for (EvalCorpus.Page p : pages) {
            PageModel m = DomFlattener.flatten(Jsoup.parse(p.html()).body());
            ContentSelector cs = new ContentSelector(m);
            cs.select();
            for (int k = 0; k < 2; k++) {
                for (String w : k == 0 ? p.goldWith() : p.goldWithout()) {
                    String n = ExtractionScore.normalize(w);
                    for (Block b : m.blocks) {
                        if (ExtractionScore.normalize(b.text()).contains(n)) {
                            for (int e = b.owner(); e >= 0; e = m.parent[e]) {
                                if ((m.flags[e] & (PageModel.F_BOILER | PageModel.F_TAG_BOILER)) != 0) {
                                    Element el = m.element[e];
                                    System.out.println((k == 0 ? "WITH\t" : "WITHOUT\t")
                                            + (cs.nearestBoiler(e) == e ? "eff\t" : "off\t") + el.normalName() + "\t"
                                            + el.id() + "\t" + el.className() + "\t" + el.attr("role"));
                                }
                            }
                            break;
                        }
                    }
                }
            }
        }
    }

    static String path(PageModel m, int i) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; i >= 0 && k < 8; i = m.parent[i], k++) {
            Element e = m.element[i];
            String d = e.normalName() + (e.id().isEmpty() ? "" : "#" + e.id())
                    + (e.className().isEmpty() ? "" : "." + e.className().replace(' ', '.'));
            sb.insert(0, d.length() > 60 ? d.substring(0, 60) : d).insert(0, " > ");
        }
        return sb.toString();
    }
}
