package io.sluice.tokenization;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thread's scratch state for {@link BpeTokenizer}: the regex matcher, the current piece's UTF-8
 * bytes, the merge arrays, the output list and the {@link PieceCache}.
 *
 * <p>Reusing these keeps encoding free of per-piece and per-byte allocation. Buffers grown by a
 * huge input are released again by {@link #trim()}. Not thread-safe; confined to its thread.
 */
final class Workspace {
  /** Buffers larger than this are dropped after a call instead of being kept per thread. */
  private static final int KEEP_LIMIT = 1 << 20;

  private final BpeTokenizer model;
  private final Matcher matcher;
  private final PieceCache cache = new PieceCache();
  final IntBuffer out = new IntBuffer();

  private byte[] piece = new byte[256];
  // Merge state, indexed by the byte position where each part starts (a doubly linked list).
  private int[] ids = new int[0];
  private int[] next = new int[0];
  private int[] prev = new int[0];
  private int[] rankAt = new int[0];
  private int[] mergedAt = new int[0];
  private long[] heap = new long[0];
  private int heapSize;

  Workspace(BpeTokenizer model, Pattern pieces) {
    this.model = model;
    this.matcher = pieces.matcher("");
  }

  /** Pre-tokenizes {@code text[start, end)} and appends the ids of every piece to {@link #out}. */
  void encodeText(String text, int start, int end) {
    // Opaque region bounds: a lookahead such as \s+(?!\S) sees the segment end as end of input,
    // as it does when Hugging Face pre-tokenizes the text between two added tokens.
    Matcher m = matcher.reset(text).region(start, end);
    while (m.find()) {
      int len = utf8(text, m.start(), m.end());
      encodePiece(len);
    }
    matcher.reset("");
  }

  /** Writes the UTF-8 bytes of {@code s[from, to)} into {@link #piece}; returns their count. */
  private int utf8(String s, int from, int to) {
    int need = (to - from) * 3;
    if (need > piece.length) {
      piece = new byte[Math.max(need, piece.length * 2)];
    }
    byte[] b = piece;
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[n++] = (byte) (0xF0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // A lone surrogate has no UTF-8 form. Sluice repairs text to U+FFFD on ingest; do the same
        // here rather than String.getBytes's '?', which would turn broken text into punctuation.
        b[n++] = (byte) 0xEF;
        b[n++] = (byte) 0xBF;
        b[n++] = (byte) 0xBD;
      } else {
        b[n++] = (byte) (0xE0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return n;
  }

  /** Appends the ids of the piece in {@code piece[0, len)}. */
  private void encodePiece(int len) {
    if (len == 1) {
      out.add(model.byteIds[piece[0] & 0xff]);
      return;
    }
    if (model.ignoreMerges) {
      int id = model.vocab.get(piece, 0, len);
      if (id >= 0) {
        out.add(id);
        return;
      }
    }
    boolean cacheable = len <= PieceCache.MAX_KEY_BYTES;
    if (cacheable && cache.get(piece, len, out) >= 0) {
      return;
    }
    int from = out.size;
    merge(len);
    if (cacheable) {
      cache.put(piece, len, out.data, from, out.size);
    }
  }

  /**
   * Byte-pair merging of {@code piece[0, n)}: repeatedly merges the adjacent pair with the lowest
   * rank, leftmost first on ties (tiktoken's and Hugging Face's order). A min-heap keyed by {@code
   * rank << 32 | position} and a linked list over positions make this O(n log n); heap entries that
   * went stale when a neighbour merged are recognized by {@code rankAt[position] != rank}.
   */
  private void merge(int n) {
    ensureMergeCapacity(n);
    MergeTable merges = model.merges;
    int[] byteIds = model.byteIds;
    for (int i = 0; i < n; i++) {
      ids[i] = byteIds[piece[i] & 0xff];
      next[i] = i + 1;
      prev[i] = i - 1;
    }
    next[n - 1] = -1;
    heapSize = 0;
    for (int i = 0; i < n - 1; i++) {
      pair(merges, i);
    }
    while (heapSize > 0) {
      long top = pop();
      int rank = (int) (top >>> 32);
      int p = (int) top;
      if (rankAt[p] != rank) {
        continue;
      }
      int q = next[p];
      ids[p] = mergedAt[p];
      int after = next[q];
      next[p] = after;
      if (after >= 0) {
        prev[after] = p;
      }
      rankAt[q] = -1;
      if (after >= 0) {
        pair(merges, p);
      } else {
        rankAt[p] = -1;
      }
      if (prev[p] >= 0) {
        pair(merges, prev[p]);
      }
    }
    for (int i = 0; i >= 0; i = next[i]) {
      out.add(ids[i]);
    }
  }

  /** Looks up the pair starting at {@code i} and queues it if it merges. */
  private void pair(MergeTable merges, int i) {
    long v = merges.get(ids[i], ids[next[i]]);
    if (v == MergeTable.NONE) {
      rankAt[i] = -1;
      return;
    }
    int rank = (int) (v >>> 32);
    rankAt[i] = rank;
    mergedAt[i] = (int) v;
    push(((long) rank << 32) | i);
  }

  private void push(long e) {
    long[] h = heap;
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (h[parent] <= e) {
        break;
      }
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }

  private long pop() {
    long[] h = heap;
    long top = h[0];
    long last = h[--heapSize];
    int n = heapSize;
    int i = 0;
    while (true) {
      int c = 2 * i + 1;
      if (c >= n) {
        break;
      }
      if (c + 1 < n && h[c + 1] < h[c]) {
        c++;
      }
      if (h[c] >= last) {
        break;
      }
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
    return top;
  }

  private void ensureMergeCapacity(int n) {
    if (ids.length < n) {
      int cap = Math.max(n, 64);
      ids = new int[cap];
      next = new int[cap];
      prev = new int[cap];
      rankAt = new int[cap];
      mergedAt = new int[cap];
      // Each merge queues at most two new pairs, so 3n entries always suffice.
      heap = new long[3 * cap];
    }
  }

  /** Releases buffers that a huge input grew, so idle threads do not pin megabytes. */
  void trim() {
    if (out.data.length > KEEP_LIMIT) {
      out.data = new int[1024];
    }
    if (piece.length > KEEP_LIMIT) {
      piece = new byte[256];
    }
    if (ids.length > KEEP_LIMIT) {
      ids = next = prev = rankAt = mergedAt = new int[0];
      heap = new long[0];
    }
  }
}
