package io.sluice.tokenization;

import java.util.regex.Pattern;

/**
 * The pre-tokenization regexes of the supported models, in Java syntax.
 *
 * <p>All are compiled with {@link Pattern#UNICODE_CHARACTER_CLASS}, so {@code \s} is Unicode
 * White_Space and {@code (?i)} folds case by Unicode rules, as in the Rust and Python regex engines
 * the references use. Stateless.
 */
final class PiecePatterns {
  /** cl100k_base; Llama 3 uses the same expression. */
  static final String CL100K =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** Qwen 2 and 3: cl100k with single digits. */
  static final String QWEN2 =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
          + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** o200k_base. */
  static final String O200K =
      String.join(
          "|",
          "[^\\r"
              + "\\n"
              + "\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
              + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
          "[^\\r"
              + "\\n"
              + "\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*"
              + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
          "\\p{N}{1,3}",
          " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
          "\\s*[\\r\\n]+",
          "\\s+(?!\\S)",
          "\\s+");

  /** GPT-2 (and Hugging Face's {@code ByteLevel} pre-tokenizer with {@code use_regex=true}). */
  static final String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  private PiecePatterns() {}

  static Pattern compile(String regex) {
    return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
  }
}
