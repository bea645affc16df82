package io.sluice.tokenization;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The byte-level BPE engine behind every {@link Tokenizer}.
 *
 * <p>Encoding is: split out added tokens (Hugging Face models only), optionally NFC-normalize each
 * remaining segment, cut it into pieces with the model's regex, and turn each piece's UTF-8 bytes
 * into ids by rank-ordered BPE merges ({@link Workspace#encodePiece}). A piece that is a single
 * byte, or (when the model allows it) already a whole token, skips the merge loop.
 *
 * <p>Invariants: {@code byteIds} holds an id for all 256 bytes; every merge result and every id in
 * {@code vocab} has bytes in {@code tokens}. Immutable after construction and thread-safe: mutable
 * scratch state lives in one {@link Workspace} per thread.
 */
final class BpeTokenizer implements Tokenizer {
  private final String name;
  private final String sha256;
  final TokenBytes tokens;
  final BytesIdMap vocab;
  final MergeTable merges;
  final int[] byteIds;
  final boolean ignoreMerges;
  private final Pattern pieces;
  private final AddedTokens added;
  private final boolean nfc;
  private final ThreadLocal<Workspace> workspaces;

  /**
   * @param tokens bytes of every id, added and special tokens included (used by decode)
   * @param vocab the BPE vocabulary proper (whole-piece lookups)
   * @param ignoreMerges whether a piece that is already a token is emitted without merging
   *     (tiktoken always; Hugging Face {@code model.ignore_merges})
   * @param added added tokens to split out before pre-tokenization, or null
   * @param nfc whether segments are NFC-normalized first (Hugging Face {@code normalizer})
   */
  BpeTokenizer(
      String name,
      String sha256,
      TokenBytes tokens,
      BytesIdMap vocab,
      MergeTable merges,
      int[] byteIds,
      boolean ignoreMerges,
      Pattern pieces,
      AddedTokens added,
      boolean nfc) {
    this.name = name;
    this.sha256 = sha256;
    this.tokens = tokens;
    this.vocab = vocab;
    this.merges = merges;
    this.byteIds = byteIds;
    this.ignoreMerges = ignoreMerges;
    this.pieces = pieces;
    this.added = added == null || added.isEmpty() ? null : added;
    this.nfc = nfc;
    this.workspaces = ThreadLocal.withInitial(() -> new Workspace(this, pieces));
  }

  @Override
  public int[] encode(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      return new int[0];
    }
    Workspace ws = workspaces.get();
    ws.out.size = 0;
    int pos = 0;
    if (added != null) {
      for (long m = added.find(text, 0); m >= 0; m = added.find(text, pos)) {
        int start = (int) (m >>> 32);
        int index = (int) m;
        encodeSegment(ws, text, pos, start);
        ws.out.add(added.id(index));
        pos = start + added.length(index);
      }
    }
    encodeSegment(ws, text, pos, text.length());
    int[] result = ws.out.toArray();
    ws.trim();
    return result;
  }

  private void encodeSegment(Workspace ws, String text, int start, int end) {
    if (start >= end) {
      return;
    }
    if (nfc) {
      String segment = text.substring(start, end);
      if (!Normalizer.isNormalized(segment, Normalizer.Form.NFC)) {
        segment = Normalizer.normalize(segment, Normalizer.Form.NFC);
      }
      ws.encodeText(segment, 0, segment.length());
    } else {
      ws.encodeText(text, start, end);
    }
  }

  @Override
  public String decode(int[] ids) {
    Objects.requireNonNull(ids, "ids");
    int total = 0;
    for (int id : ids) {
      int len = tokens.length(id);
      if (len < 0) {
        throw new IllegalArgumentException(
            "token id "
                + id
                + " is not in the vocabulary of "
                + name
                + " (size "
                + tokens.size()
                + ")");
      }
      total += len;
    }
    byte[] bytes = new byte[total];
    byte[] pool = tokens.pool();
    int at = 0;
    for (int id : ids) {
      int len = tokens.length(id);
      System.arraycopy(pool, tokens.start(id), bytes, at, len);
      at += len;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Looked for in this order; the first the vocabulary holds as a single token wins. */
  private static final List<String> END_OF_TEXT =
      List.of("<|endoftext|>", "<|end_of_text|>", "</s>", "<eos>");

  @Override
  public int endOfTextId() {
    for (String text : END_OF_TEXT) {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      for (int id = 0; id < tokens.size(); id++) {
        if (tokens.length(id) == b.length && tokens.equalsRange(id, b, 0, b.length)) {
          return id;
        }
      }
    }
    throw new IllegalStateException(
        "tokenizer " + name + " has no end-of-text token (" + END_OF_TEXT + ")");
  }

  @Override
  public int vocabularySize() {
    return tokens.size();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String vocabularySha256() {
    return sha256;
  }

  @Override
  public String toString() {
    return "Tokenizer[" + name + ", vocabulary=" + tokens.size() + "]";
  }
}
