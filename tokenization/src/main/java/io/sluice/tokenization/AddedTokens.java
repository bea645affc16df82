package io.sluice.tokenization;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Finds Hugging Face added tokens (special or not) in raw text, leftmost-longest as the Hugging
 * Face {@code AddedVocabulary} does, so they can be split out before pre-tokenization.
 *
 * <p>A bitmap of first characters makes the scan one bit test per character of ordinary text.
 * Immutable; thread-safe.
 */
final class AddedTokens {
  private final String[] contents;
  private final int[] ids;
  private final BitSet firstChars = new BitSet();

  /** Tokens are tried longest first, so the first hit at a position is the longest one. */
  AddedTokens(List<String> contents, List<Integer> ids) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt((Integer i) -> -contents.get(i).length()));
    this.contents = new String[order.size()];
    this.ids = new int[order.size()];
    for (int k = 0; k < order.size(); k++) {
      this.contents[k] = contents.get(order.get(k));
      this.ids[k] = ids.get(order.get(k));
      firstChars.set(this.contents[k].charAt(0));
    }
  }

  boolean isEmpty() {
    return contents.length == 0;
  }

  /**
   * Finds the leftmost (then longest) added token in {@code text[from, end)}.
   *
   * @return {@code start << 32 | index} of the match, or -1 when there is none
   */
  long find(String text, int from) {
    for (int i = from, n = text.length(); i < n; i++) {
      if (firstChars.get(text.charAt(i))) {
        for (int k = 0; k < contents.length; k++) {
          if (text.startsWith(contents[k], i)) {
            return ((long) i << 32) | k;
          }
        }
      }
    }
    return -1;
  }

  int id(int index) {
    return ids[index];
  }

  int length(int index) {
    return contents[index].length();
  }
}
