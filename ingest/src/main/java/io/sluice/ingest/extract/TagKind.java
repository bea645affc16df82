package io.sluice.ingest.extract;

import java.util.HashMap;
import java.util.Map;

/**
 * Coarse role of an HTML tag for text extraction: whether it is skipped with its subtree, whether
 * it breaks the text flow (and how strongly), and which kind of text block it produces.
 */
final class TagKind {
  /** Inline or unknown: text flows through. */
  static final byte INLINE = 0;

  /** Never contains main text (scripts, forms controls, media): skipped with its whole subtree. */
  static final byte DROP = 1;

  /** Generic block container (div, section, ...). */
  static final byte BLOCK = 2;

  static final byte PARAGRAPH = 3;
  static final byte HEADING = 4;
  static final byte LIST_ITEM = 5;
  static final byte PRE = 6;
  static final byte CELL = 7;
  static final byte ROW = 8;
  static final byte LIST = 9;
  static final byte TABLE = 10;
  static final byte BLOCKQUOTE = 11;

  /**
   * Structural boilerplate containers (nav, aside, footer): dropped unless they wrap the content.
   */
  static final byte SECTIONING_BOILER = 12;

  static final byte BR = 13;
  static final byte ANCHOR = 14;
  static final byte HR = 15;

  /** Separator strength between blocks; higher wins when several boundaries are crossed. */
  static final byte SEP_NONE = 0;

  static final byte SEP_CELL = 1;
  static final byte SEP_LINE = 2;
  static final byte SEP_PARAGRAPH = 3;

  private static final Map<String, Byte> KINDS;

  static {
    Map<String, Byte> kinds = new HashMap<>();
    for (String t :
        new String[] {
          "script",
          "style",
          "noscript",
          "template",
          "svg",
          "math",
          "iframe",
          "object",
          "embed",
          "canvas",
          "button",
          "select",
          "option",
          "optgroup",
          "textarea",
          "input",
          "head",
          "title",
          "meta",
          "link",
          "audio",
          "video",
          "source",
          "track",
          "map",
          "dialog",
          "datalist",
          "label",
          "frameset",
          "frame",
          "picture",
          "img",
          "area",
          "param",
          "base",
          "menu"
        }) {
      kinds.put(t, DROP);
    }
    for (String t :
        new String[] {
          "div",
          "section",
          "article",
          "main",
          "body",
          "html",
          "form",
          "fieldset",
          "figure",
          "figcaption",
          "address",
          "center",
          "details",
          "summary",
          "hgroup",
          "dl",
          "legend",
          "caption",
          "thead",
          "tbody",
          "tfoot"
        }) {
      kinds.put(t, BLOCK);
    }
    kinds.put("p", PARAGRAPH);
    for (String t : new String[] {"h1", "h2", "h3", "h4", "h5", "h6"}) {
      kinds.put(t, HEADING);
    }
    for (String t : new String[] {"li", "dt", "dd"}) {
      kinds.put(t, LIST_ITEM);
    }
    kinds.put("pre", PRE);
    kinds.put("listing", PRE);
    kinds.put("plaintext", PRE);
    kinds.put("td", CELL);
    kinds.put("th", CELL);
    kinds.put("tr", ROW);
    kinds.put("ul", LIST);
    kinds.put("ol", LIST);
    kinds.put("dir", LIST);
    kinds.put("table", TABLE);
    kinds.put("blockquote", BLOCKQUOTE);
    kinds.put("header", BLOCK);
    for (String t : new String[] {"nav", "aside", "footer"}) {
      kinds.put(t, SECTIONING_BOILER);
    }
    kinds.put("br", BR);
    kinds.put("a", ANCHOR);
    kinds.put("hr", HR);
    KINDS = Map.copyOf(kinds);
  }

  private TagKind() {}

  static byte of(String normalName) {
    Byte k = KINDS.get(normalName);
    return k == null ? INLINE : k;
  }

  /** Whether the tag starts a new text block. */
  static boolean isBlock(byte kind) {
    return kind >= BLOCK && kind <= SECTIONING_BOILER || kind == HR;
  }

  static byte separator(byte kind) {
    return switch (kind) {
      case CELL -> SEP_CELL;
      case LIST_ITEM, ROW -> SEP_LINE;
      case INLINE, ANCHOR -> SEP_NONE;
      default -> SEP_PARAGRAPH;
    };
  }
}
