/**
 * Exact, pure-Java byte-level BPE tokenizers: tiktoken vocabularies ({@code cl100k_base}, {@code
 * o200k_base}) and Hugging Face {@code tokenizer.json} BPE models (Llama 3, Qwen 3), behind {@link
 * io.sluice.tokenization.Tokenizer} and the factory {@link io.sluice.tokenization.Tokenizers}.
 */
package io.sluice.tokenization;
