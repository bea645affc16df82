package io.sluice.ingest.extract;

/**
 * One run of text between block-level boundaries, with the statistics the classifiers need.
 *
 * @param text whitespace-collapsed text (raw inside {@code <pre>}), never blank
 * @param owner index of the innermost block-level (or class-flagged) element holding the text
 * @param kind {@link TagKind} of the owner element
 * @param separator strongest {@link TagKind} separator crossed since the previous block
 * @param chars text size: non-whitespace characters, CJK ideographs/kana/hangul counting 3
 * @param linkChars text size (as {@code chars}) inside {@code <a>}
 * @param commas commas (Latin and CJK), readability's cheap sentence-structure signal
 */
record Block(
    String text, int owner, byte kind, byte separator, int chars, int linkChars, int commas) {
  double linkDensity() {
    return chars == 0 ? 0 : (double) linkChars / chars;
  }
}
