package io.sluice.tokenization;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Loads a tiktoken vocabulary ({@code <base64 token> <rank>} per line) into a {@link BpeTokenizer}.
 *
 * <p>The vocabulary files come from the jtokkit 1.1.0 jar (MIT), which bundles OpenAI's published
 * files unchanged under {@code /com/knuddels/jtokkit/}; only the data is read, never jtokkit code.
 * tiktoken merges the adjacent pair whose concatenation has the lowest rank, so every split of
 * every token into two tokens becomes a merge rule whose rank is the token's own id. Stateless.
 */
final class TiktokenLoader {
  private TiktokenLoader() {}

  static BpeTokenizer load(
      String name, String resource, String pattern, Map<String, Integer> specials)
      throws IOException {
    byte[] file;
    try (InputStream in = TiktokenLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            "vocabulary resource not found: " + resource + " (is jtokkit on the classpath?)");
      }
      file = in.readAllBytes();
    }
    TokenBytes.Builder builder = new TokenBytes.Builder();
    Base64.Decoder base64 = Base64.getDecoder();
    int count = 0;
    int lineNo = 0;
    for (int pos = 0; pos < file.length; ) {
      int eol = pos;
      while (eol < file.length && file[eol] != '\n') {
        eol++;
      }
      lineNo++;
      if (eol > pos) {
        String line = new String(file, pos, eol - pos, StandardCharsets.US_ASCII);
        int space = line.indexOf(' ');
        try {
          int rank = Integer.parseInt(line.substring(space + 1));
          if (space <= 0 || !builder.put(rank, base64.decode(line.substring(0, space)))) {
            throw new IllegalArgumentException("duplicate or missing rank");
          }
        } catch (IllegalArgumentException e) {
          throw new IOException(
              "corrupt tiktoken vocabulary "
                  + resource
                  + " at line "
                  + lineNo
                  + ": "
                  + e.getMessage(),
              e);
        }
        count++;
      }
      pos = eol + 1;
    }
    int bpeSize = count;
    for (Map.Entry<String, Integer> special : specials.entrySet()) {
      builder.put(special.getValue(), special.getKey().getBytes(StandardCharsets.UTF_8));
    }
    TokenBytes tokens = builder.build();
    int[] ids = new int[bpeSize];
    for (int id = 0, k = 0; k < bpeSize; id++) {
      if (tokens.length(id) >= 0 && !specials.containsValue(id)) {
        ids[k++] = id;
      }
    }
    BytesIdMap vocab = new BytesIdMap(tokens, ids);
    int[] byteIds = Vocabularies.byteIds(vocab, resource);
    MergeTable merges = new MergeTable(bpeSize * 4);
    byte[] pool = tokens.pool();
    for (int id : ids) {
      int start = tokens.start(id);
      int len = tokens.length(id);
      for (int k = 1; k < len; k++) {
        int left = vocab.get(pool, start, k);
        if (left >= 0) {
          int right = vocab.get(pool, start + k, len - k);
          if (right >= 0) {
            merges.put(left, right, id, id);
          }
        }
      }
    }
    return new BpeTokenizer(
        name,
        Vocabularies.sha256(file),
        tokens,
        vocab,
        merges,
        byteIds,
        true,
        PiecePatterns.compile(pattern),
        null,
        false);
  }
}
