package io.sluice.ingest.extract;

import it.unimi.dsi.fastutil.ints.IntArrayList;

/**
 * Blocks chosen as main text, as ascending indices into {@link PageModel#blocks}.
 *
 * @param blocks ascending block indices; never null
 */
record Selection(IntArrayList blocks) {
  static final Selection EMPTY = new Selection(new IntArrayList(0));

  boolean isEmpty() {
    return blocks.isEmpty();
  }
}
