package io.sluice.ingest.extract;

import java.util.List;

/**
 * Joins selected blocks into plain text: paragraphs are separated by a blank line, list items and
 * table rows by a newline, table cells by a tab. When blocks were skipped between two kept ones,
 * the strongest boundary among the skipped ones is used, so removed content never glues text
 * together.
 */
final class TextAssembler {
  private TextAssembler() {}

  static String join(List<Block> blocks, Selection selection) {
    if (selection.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    int previous = -1;
    for (int k = 0; k < selection.blocks().size(); k++) {
      int bi = selection.blocks().getInt(k);
      if (previous >= 0) {
        byte sep = TagKind.SEP_NONE;
        for (int j = previous + 1; j <= bi; j++) {
          sep = (byte) Math.max(sep, blocks.get(j).separator());
        }
        if (bi > previous + 1) {
          // removed blocks in between: never let the neighbours read as one cell or line
          sep = (byte) Math.max(sep, TagKind.SEP_LINE);
        }
        sb.append(
            switch (sep) {
              case TagKind.SEP_CELL -> "\t";
              case TagKind.SEP_LINE -> "\n";
              case TagKind.SEP_PARAGRAPH -> "\n\n";
              default -> " ";
            });
      }
      sb.append(blocks.get(bi).text());
      previous = bi;
    }
    return sb.toString();
  }
}
