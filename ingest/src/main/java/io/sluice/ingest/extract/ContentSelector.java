package io.sluice.ingest.extract;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.List;

/**
 * Picks the main-content subtree of a {@link PageModel} and the text blocks to emit from it.
 *
 * <p>A few linear passes over the element arrays: (1) subtree text, link and prose sizes bottom-up;
 * (2) which class-flagged elements really are boilerplate (a flagged element that wraps most of the
 * page text, most of its prose, or a main-content container is a layout wrapper with an unlucky
 * name); (3) the subtree with the largest "content mass"; (4) block filtering inside it. Single
 * use, not thread-safe.
 */
final class ContentSelector {
  /**
   * Blocks at least this long (CJK weighted) and link-poor read as prose rather than navigation.
   */
  private static final int PROSE_CHARS = 50;

  /**
   * Mass lost per character of link text: a link-list costs what the same amount of prose gains.
   */
  private static final double LINK_PENALTY = 1.0;

  /** Mass lost per character of short, link-free text (labels, dates, headings, list items). */
  private static final double SHORT_PENALTY = 0.25;

  /** Mass bonus for containers named like main content ("entry-content", itemprop=articleBody). */
  private static final double STRONG_POSITIVE_BONUS = 1.1;

  /** Link share above which a block is navigation, not text. */
  private static final double MAX_BLOCK_LINK_DENSITY = 0.5;

  private static final int TITLE_MAX_CHARS = 50;

  private final PageModel m;
  private final int n;
  private final int[] chars;
  private final int[] proseChars;

  /** Index of the innermost effective boilerplate element at or above each element, -1 if none. */
  private final int[] nearestBoiler;

  /** Chosen subtree root, for diagnostics; -1 before selection. */
  private int top = -1;

  ContentSelector(PageModel model) {
    this.m = model;
    this.n = model.size;
    this.chars = new int[n];
    this.proseChars = new int[n];
    this.nearestBoiler = new int[n];
  }

  /** Selected blocks, in reading order. */
  Selection select() {
    if (n == 0 || m.blocks.isEmpty()) {
      return Selection.EMPTY;
    }
    sumSubtrees();
    markBoilerplate(PageModel.F_BOILER | PageModel.F_TAG_BOILER);
    top = massTop();
    if (top < 0 || (proseChars[top] == 0 && proseChars[0] > 0)) {
      // all prose sits under boilerplate-looking class names: trust the names less
      markBoilerplate(PageModel.F_TAG_BOILER);
      top = massTop();
    }
    if (top < 0 || (proseChars[top] == 0 && proseChars[0] > 0)) {
      markBoilerplate(0);
      top = massTop();
    }
    return top < 0 ? Selection.EMPTY : collect(top);
  }

  int top() {
    return top;
  }

  int nearestBoiler(int i) {
    return nearestBoiler[i];
  }

  private void sumSubtrees() {
    for (Block b : m.blocks) {
      chars[b.owner()] += b.chars();
      if (isProse(b)) {
        proseChars[b.owner()] += b.chars();
      }
    }
    int[] parent = m.parent;
    for (int i = n - 1; i > 0; i--) {
      int p = parent[i];
      chars[p] += chars[i];
      proseChars[p] += proseChars[i];
    }
  }

  private static boolean isProse(Block b) {
    return b.chars() >= PROSE_CHARS && b.linkChars() * 10 < b.chars() * 3;
  }

  private void markBoilerplate(int boilerFlags) {
    int[] parent = m.parent;
    int[] flags = m.flags;
    // bottom-up: does the subtree hold an unflagged main-content marker?
    boolean[] holdsMain = new boolean[n];
    for (int i = n - 1; i >= 0; i--) {
      int f = flags[i];
      if ((f & (PageModel.F_STRONG_POSITIVE | PageModel.F_SEMANTIC_MAIN)) != 0
          && (f & boilerFlags) == 0) {
        holdsMain[i] = true;
      }
      if (holdsMain[i] && i > 0) {
        holdsMain[parent[i]] = true;
      }
    }
    double wrapperLimit = 0.85 * chars[0];
    double proseLimit = 0.5 * proseChars[0];
    for (int i = 0; i < n; i++) {
      boolean boiler =
          i > 0
              && (flags[i] & boilerFlags) != 0
              && chars[i] <= wrapperLimit
              && !holdsMain[i]
              && (proseChars[i] == 0 || proseChars[i] < proseLimit);
      nearestBoiler[i] = boiler ? i : (i == 0 ? -1 : nearestBoiler[parent[i]]);
    }
  }

  /**
   * The subtree with the largest content mass: prose characters minus penalties for link text and
   * short fragments, boilerplate excluded. Like a maximum-sum subarray over the tree, this absorbs
   * content split over sibling containers while stopping short of navigation-heavy ancestors. Ties
   * go to the deepest element. Returns -1 when no block outside boilerplate exists.
   */
  private int massTop() {
    double[] mass = new double[n];
    boolean any = false;
    for (Block b : m.blocks) {
      int o = b.owner();
      if (nearestBoiler[o] >= 0) {
        continue;
      }
      any = true;
      int plain = b.chars() - b.linkChars();
      mass[o] += isProse(b) ? plain : -(b.linkChars() * LINK_PENALTY + plain * SHORT_PENALTY);
    }
    if (!any) {
      return -1;
    }
    int[] parent = m.parent;
    for (int i = n - 1; i > 0; i--) {
      if (nearestBoiler[i] != i) {
        mass[parent[i]] += mass[i];
      }
    }
    int best = -1;
    double bestMass = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (nearestBoiler[i] >= 0) {
        continue;
      }
      double v = mass[i];
      if ((m.flags[i] & PageModel.F_STRONG_POSITIVE) != 0 && v > 0) {
        v *= STRONG_POSITIVE_BONUS;
      }
      if (v >= bestMass) {
        best = i;
        bestMass = v;
      }
    }
    return best;
  }

  private Selection collect(int root) {
    List<Block> blocks = m.blocks;
    int nb = blocks.size();
    boolean[] keep = new boolean[nb];
    for (int bi = 0; bi < nb; bi++) {
      Block b = blocks.get(bi);
      int o = b.owner();
      keep[bi] =
          m.contains(root, o)
              && nearestBoiler[o] < root
              && (b.kind() == TagKind.PRE || b.linkDensity() <= MAX_BLOCK_LINK_DENSITY);
    }
    // a title whose section was removed (the heading of a "Related posts" link list) goes with it
    for (int bi = nb - 2; bi >= 0; bi--) {
      if (keep[bi] && !keep[bi + 1] && isTitleLike(blocks.get(bi))) {
        keep[bi] = false;
      }
    }
    IntArrayList out = new IntArrayList();
    for (int bi = 0; bi < nb; bi++) {
      if (keep[bi]) {
        out.add(bi);
      }
    }
    return new Selection(out);
  }

  private static boolean isTitleLike(Block b) {
    return b.kind() == TagKind.HEADING
        || (b.chars() < TITLE_MAX_CHARS
            && b.linkChars() == 0
            && b.kind() != TagKind.LIST_ITEM
            && b.kind() != TagKind.CELL);
  }
}
