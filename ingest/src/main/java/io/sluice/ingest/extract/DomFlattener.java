package io.sluice.ingest.extract;

import java.util.Arrays;
import java.util.Locale;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Walks a jsoup tree once (iteratively, so nesting depth cannot overflow the stack) and produces a
 * {@link PageModel}: non-content subtrees (scripts, form controls, hidden elements) are skipped,
 * text is cut into {@link Block}s at block-level boundaries and at class-flagged elements, and
 * per-element flags are recorded. Single use, not thread-safe.
 */
final class DomFlattener implements NodeFilter {
  private final PageModel model = new PageModel();
  private final AttributeClassifier classifier = new AttributeClassifier();
  private final StringBuilder current = new StringBuilder(256);

  /** Element indices of the open (kept) elements. */
  private int[] stack = new int[64];

  /** Innermost block or flagged element per open element: the owner of text appended there. */
  private int[] ownerStack = new int[64];

  private int depth;
  private int linkDepth;
  private int preDepth;

  private int curChars;
  private int curLinkChars;
  private int curCommas;
  private int curOwner = -1;
  private byte pendingSeparator = TagKind.SEP_NONE;

  static PageModel flatten(Element root) {
    DomFlattener f = new DomFlattener();
    NodeTraversor.filter(f, root);
    f.flush();
    return f.model;
  }

  @Override
  public FilterResult head(Node node, int nodeDepth) {
    if (node instanceof TextNode t) {
      appendText(t);
      return FilterResult.CONTINUE;
    }
    if (!(node instanceof Element el)) {
      return FilterResult.SKIP_ENTIRELY; // comments, doctype, data nodes
    }
    byte kind = TagKind.of(el.normalName());
    if (kind == TagKind.DROP) {
      return FilterResult.SKIP_ENTIRELY;
    }
    if (kind == TagKind.BR) {
      if (curChars > 0) {
        current.append('\n');
      }
      return FilterResult.SKIP_ENTIRELY;
    }
    int flags = 0;
    String name = el.normalName();
    if (kind == TagKind.SECTIONING_BOILER) {
      flags |= PageModel.F_TAG_BOILER;
    } else if (name.equals("figcaption")) {
      // captions and photo credits: rarely part of the running text
      flags |= PageModel.F_BOILER;
    } else if (name.equals("form")) {
      // search boxes, comment and newsletter forms; a page-wide ASP.NET form is saved by the
      // wrapper guard
      flags |= PageModel.F_BOILER;
    }
    if (name.equals("article") || name.equals("main")) {
      flags |= PageModel.F_SEMANTIC_MAIN;
    }
    if (el.attributesSize() > 0) {
      if (isHidden(el)) {
        return FilterResult.SKIP_ENTIRELY;
      }
      String cls = el.className();
      if (!cls.isEmpty()) {
        int v = classifier.classify(cls);
        flags |= verdictFlags(v);
      }
      String id = el.id();
      if (!id.isEmpty()) {
        int v = classifier.classify(id);
        flags |= verdictFlags(v);
      }
      String role = el.attr("role");
      if (!role.isEmpty() && isBoilerRole(role)) {
        flags |= PageModel.F_BOILER;
      }
      String itemprop = el.attr("itemprop");
      if (itemprop.equals("articleBody") || itemprop.equals("text")) {
        flags |= PageModel.F_STRONG_POSITIVE;
        flags &= ~PageModel.F_BOILER;
      }
    }
    if ((flags & PageModel.F_STRONG_POSITIVE) != 0 && (flags & PageModel.F_BOILER) != 0) {
      flags &= ~PageModel.F_STRONG_POSITIVE;
    }
    boolean separate =
        TagKind.isBlock(kind) || (flags & (PageModel.F_BOILER | PageModel.F_TAG_BOILER)) != 0;
    if (separate) {
      boundary(TagKind.separator(kind));
    }
    int parentIndex = depth == 0 ? -1 : stack[depth - 1];
    int index = model.add(el, parentIndex, kind, flags);
    if (depth == stack.length) {
      stack = Arrays.copyOf(stack, depth * 2);
      ownerStack = Arrays.copyOf(ownerStack, depth * 2);
    }
    stack[depth] = index;
    ownerStack[depth] = separate || depth == 0 ? index : ownerStack[depth - 1];
    depth++;
    if (kind == TagKind.ANCHOR) {
      linkDepth++;
    } else if (kind == TagKind.PRE) {
      preDepth++;
    }
    return FilterResult.CONTINUE;
  }

  @Override
  public FilterResult tail(Node node, int nodeDepth) {
    if (!(node instanceof Element)) {
      return FilterResult.CONTINUE;
    }
    // only kept elements reach tail (skipped ones returned SKIP_ENTIRELY), so the stack top is this
    // node
    int index = stack[--depth];
    byte kind = model.kind[index];
    model.end[index] = model.size;
    if (kind == TagKind.ANCHOR) {
      linkDepth--;
    } else if (kind == TagKind.PRE) {
      preDepth--;
    }
    if (ownerStack[depth] == index) {
      boundary(TagKind.separator(kind));
    }
    return FilterResult.CONTINUE;
  }

  private static int verdictFlags(int verdict) {
    int f = 0;
    if (AttributeClassifier.isBoiler(verdict)) {
      f |= PageModel.F_BOILER;
    }
    if (AttributeClassifier.isStrongPositive(verdict)) {
      f |= PageModel.F_STRONG_POSITIVE;
    }
    return f;
  }

  private static boolean isHidden(Element el) {
    if (el.hasAttr("hidden")) {
      return true;
    }
    String style = el.attr("style");
    if (!style.isEmpty() && (style.contains("none") || style.contains("hidden"))) {
      String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
      return s.contains("display:none") || s.contains("visibility:hidden");
    }
    return false;
  }

  private static boolean isBoilerRole(String role) {
    return switch (role) {
      case "navigation",
              "menu",
              "menubar",
              "banner",
              "contentinfo",
              "complementary",
              "dialog",
              "alert",
              "alertdialog",
              "search",
              "toolbar",
              "tablist" ->
          true;
      default -> false;
    };
  }

  private void boundary(byte separator) {
    flush();
    if (separator > pendingSeparator) {
      pendingSeparator = separator;
    }
  }

  private void appendText(TextNode t) {
    if (depth == 0) {
      return;
    }
    String s = t.getWholeText();
    int owner = ownerStack[depth - 1];
    if (curOwner != owner && curChars > 0) {
      flush();
    }
    curOwner = owner;
    boolean inLink = linkDepth > 0;
    boolean raw = preDepth > 0;
    StringBuilder sb = current;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c <= ' '
          || c == '\u00a0'
          || (c >= '\u2000' && (Character.isWhitespace(c) || Character.isSpaceChar(c)))) {
        if (raw && (c == '\n' || c == '\t' || c == ' ')) {
          if (sb.length() > 0) {
            sb.append(c);
          }
        } else if (sb.length() > 0
            && sb.charAt(sb.length() - 1) != ' '
            && sb.charAt(sb.length() - 1) != '\n') {
          sb.append(' ');
        }
        continue;
      }
      sb.append(c);
      // an ideograph carries about as much text as a short Latin word: weigh it like three letters
      int w =
          c >= '\u3040'
                  && (c <= '\u9fff'
                      || (c >= '\uac00' && c <= '\ud7a3')
                      || (c >= '\uf900' && c <= '\ufaff'))
              ? 3
              : 1;
      curChars += w;
      if (inLink) {
        curLinkChars += w;
      }
      if (c == ',' || c == '\uff0c' || c == '\u3001' || c == '\u060c') {
        curCommas++;
      }
    }
  }

  private void flush() {
    if (curChars > 0) {
      int len = current.length();
      while (len > 0 && Character.isWhitespace(current.charAt(len - 1))) {
        len--;
      }
      current.setLength(len);
      model.blocks.add(
          new Block(
              current.toString(),
              curOwner,
              model.kind[curOwner],
              model.blocks.isEmpty() ? TagKind.SEP_NONE : pendingSeparator,
              curChars,
              curLinkChars,
              curCommas));
      pendingSeparator = TagKind.SEP_NONE;
    }
    current.setLength(0);
    curChars = 0;
    curLinkChars = 0;
    curCommas = 0;
  }
}
