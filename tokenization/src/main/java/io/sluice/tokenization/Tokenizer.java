package io.sluice.tokenization;

/**
 * A byte-level BPE tokenizer: text to token ids and back.
 *
 * <p>Obtain one from {@link Tokenizers}:
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizers.byName("cl100k_base");
 * int[] ids = tok.encode("hello world");
 * String back = tok.decode(ids); // "hello world"
 * }</pre>
 *
 * <p>Invariants: {@link #encode} never adds BOS/EOS or other template tokens, and for every valid
 * UTF-16 string {@code x} (and, for models with an NFC normalizer, every NFC string) {@code
 * decode(encode(x)).equals(x)}. Ids are exactly those of the reference implementation (tiktoken for
 * tiktoken vocabularies, Hugging Face {@code tokenizers} for {@code tokenizer.json} models).
 *
 * <p>Thread-safety: implementations are immutable after construction and safe to share between
 * threads; each thread gets its own scratch buffers and piece cache.
 */
public sealed interface Tokenizer permits BpeTokenizer {

  /**
   * Encodes text without any special tokens added.
   *
   * <p>For tiktoken vocabularies special-token text such as {@code <|endoftext|>} is encoded as
   * ordinary text (tiktoken's {@code encode_ordinary}). For Hugging Face models every added token
   * found in the text is split out first and emitted as its id, as Hugging Face {@code tokenizers}
   * does with {@code add_special_tokens=false}.
   *
   * @return a fresh array owned by the caller; empty for an empty string
   */
  int[] encode(String text);

  /**
   * Decodes ids to text. Bytes that do not form valid UTF-8 (a prefix of a multi-byte character)
   * become U+FFFD.
   *
   * @throws IllegalArgumentException for an id outside the vocabulary
   */
  String decode(int[] ids);

  /** One more than the highest token id, special and added tokens included. */
  int vocabularySize();

  /**
   * The id that ends a document in pre-training streams, found by its text: {@code <|endoftext|>}
   * (tiktoken vocabularies, Qwen), {@code <|end_of_text|>} (Llama 3), else {@code </s>} or {@code
   * <eos>}.
   *
   * @throws IllegalStateException when the vocabulary has none of them (pass the id explicitly)
   */
  int endOfTextId();

  /** The model name, e.g. {@code cl100k_base} or the file name a tokenizer was loaded from. */
  String name();

  /** Lower-case hex SHA-256 of the (uncompressed) vocabulary file this tokenizer was built from. */
  String vocabularySha256();
}
