package io.sluice.ingest.extract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jsoup.nodes.Element;

/**
 * Flat, array-based image of the kept part of a DOM: elements in document (pre-)order and the text
 * blocks in reading order. Working on arrays instead of the jsoup tree keeps every later pass
 * linear and cache-friendly, and makes subtree tests a range check: element {@code j} is inside
 * {@code i} iff {@code i <= j < end[i]}.
 */
final class PageModel {
  /** class/id/role marks the element as boilerplate. */
  static final int F_BOILER = 1;

  /** nav/aside/footer/header tag. */
  static final int F_TAG_BOILER = 2;

  /** class/id names the main content ("entry-content", itemprop=articleBody, ...). */
  static final int F_STRONG_POSITIVE = 4;

  /** article or main tag. */
  static final int F_SEMANTIC_MAIN = 8;

  int size;
  int[] parent = new int[256];
  int[] end = new int[256];
  byte[] kind = new byte[256];
  int[] flags = new int[256];

  /** The jsoup element behind each index, for diagnostics. */
  Element[] element = new Element[256];

  final List<Block> blocks = new ArrayList<>();

  int add(Element el, int parentIndex, byte tagKind, int elementFlags) {
    if (size == parent.length) {
      int cap = size * 2;
      parent = Arrays.copyOf(parent, cap);
      end = Arrays.copyOf(end, cap);
      kind = Arrays.copyOf(kind, cap);
      flags = Arrays.copyOf(flags, cap);
      element = Arrays.copyOf(element, cap);
    }
    int i = size++;
    parent[i] = parentIndex;
    kind[i] = tagKind;
    flags[i] = elementFlags;
    element[i] = el;
    end[i] = i + 1;
    return i;
  }

  boolean contains(int ancestor, int descendant) {
    return ancestor <= descendant && descendant < end[ancestor];
  }
}
