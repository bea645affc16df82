package io.sluice.tokenization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds a {@link BpeTokenizer} from a Hugging Face {@code tokenizer.json} with a byte-level BPE
 * model (GPT-2, Llama 3, Qwen 2/3 style).
 *
 * <p>Supported: {@code model.type = "BPE"} with {@code merges} as {@code "a b"} strings or {@code
 * [a, b]} pairs; pre-tokenizer {@code ByteLevel} (with {@code use_regex}) or {@code Sequence[Split
 * (Regex, Isolated), ByteLevel(use_regex=false)]}; normalizer none or {@code NFC}; added tokens
 * without lstrip/rstrip/single_word. Anything else is refused with an {@link
 * IllegalArgumentException} naming the file and the field, rather than tokenized differently from
 * the reference. Stateless.
 */
final class HuggingFaceLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HuggingFaceLoader() {}

  /**
   * @param name the tokenizer's name
   * @param resource where the bytes came from, for messages
   * @param json the uncompressed file content
   */
  static BpeTokenizer load(String name, String resource, byte[] json) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IOException(
          "not valid JSON: " + e.getOriginalMessage() + " (resource=" + resource + ")", e);
    }
    if (root == null || !root.isObject()) {
      throw bad(resource, "", "expected a JSON object");
    }
    JsonNode model = field(root, "", "model", resource);
    String type = model.path("type").asText("");
    if (!type.equals("BPE")) {
      throw bad(resource, "model.type", "unsupported model type '" + type + "', expected 'BPE'");
    }
    checkNull(model, "dropout", resource);
    checkEmpty(model, "continuing_subword_prefix", resource);
    checkEmpty(model, "end_of_word_suffix", resource);
    if (model.path("byte_fallback").asBoolean(false)) {
      throw bad(resource, "model.byte_fallback", "byte_fallback=true is not supported");
    }
    boolean ignoreMerges = model.path("ignore_merges").asBoolean(false);

    // Vocabulary: byte-level strings to ids.
    JsonNode vocabNode = field(model, "model.", "vocab", resource);
    if (!vocabNode.isObject()) {
      throw bad(resource, "model.vocab", "expected an object of token -> id");
    }
    TokenBytes.Builder builder = new TokenBytes.Builder();
    List<String> vocabTokens = new ArrayList<>();
    List<Integer> vocabIds = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String field = "model.vocab[\"" + e.getKey() + "\"]";
      int id = id(e.getValue(), resource, field);
      byte[] bytes = ByteLevel.toBytes(e.getKey());
      if (bytes == null) {
        throw bad(resource, field, "token is not in the byte-level alphabet");
      }
      if (!builder.put(id, bytes)) {
        throw bad(resource, field, "id " + id + " is used twice");
      }
      vocabTokens.add(e.getKey());
      vocabIds.add(id);
    }

    // Added tokens: split out of the text before pre-tokenization; their bytes serve decode.
    List<String> addedContents = new ArrayList<>();
    List<Integer> addedIds = new ArrayList<>();
    JsonNode addedNode = root.path("added_tokens");
    for (int i = 0; i < addedNode.size(); i++) {
      JsonNode t = addedNode.get(i);
      String field = "added_tokens[" + i + "]";
      int id = id(t.path("id"), resource, field + ".id");
      String content = t.path("content").asText("");
      if (content.isEmpty()) {
        throw bad(resource, field + ".content", "missing or empty");
      }
      for (String flag : new String[] {"lstrip", "rstrip", "single_word"}) {
        if (t.path(flag).asBoolean(false)) {
          throw bad(resource, field + "." + flag, "true is not supported");
        }
      }
      // An added token may repeat a vocabulary entry; the vocabulary bytes then stay for decode.
      builder.put(id, content.getBytes(StandardCharsets.UTF_8));
      addedContents.add(content);
      addedIds.add(id);
    }
    TokenBytes tokens = builder.build();
    BytesIdMap vocab =
        new BytesIdMap(tokens, vocabIds.stream().mapToInt(Integer::intValue).toArray());
    int[] byteIds = Vocabularies.byteIds(vocab, resource);

    // Merges: rank = position in the list.
    JsonNode mergesNode = field(model, "model.", "merges", resource);
    if (!mergesNode.isArray()) {
      throw bad(resource, "model.merges", "expected an array");
    }
    MergeTable merges = new MergeTable(mergesNode.size());
    for (int rank = 0; rank < mergesNode.size(); rank++) {
      JsonNode m = mergesNode.get(rank);
      String field = "model.merges[" + rank + "]";
      String left;
      String right;
      if (m.isTextual()) {
        String s = m.asText();
        int space = s.indexOf(' ');
        if (space <= 0 || space == s.length() - 1 || s.indexOf(' ', space + 1) >= 0) {
          throw bad(resource, field, "expected \"left right\", got \"" + s + "\"");
        }
        left = s.substring(0, space);
        right = s.substring(space + 1);
      } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
        left = m.get(0).asText();
        right = m.get(1).asText();
      } else {
        throw bad(resource, field, "expected \"left right\" or [left, right]");
      }
      int l = tokenId(vocabNode, left, resource, field);
      int r = tokenId(vocabNode, right, resource, field);
      int merged = tokenId(vocabNode, left + right, resource, field);
      merges.put(l, r, rank, merged);
    }

    Pattern pieces = pieces(root.path("pre_tokenizer"), resource);
    boolean nfc = normalizer(root.path("normalizer"), resource);
    JsonNode decoder = root.path("decoder");
    if (!decoder.isMissingNode()
        && !decoder.isNull()
        && !decoder.path("type").asText().equals("ByteLevel")) {
      throw bad(
          resource,
          "decoder.type",
          "expected 'ByteLevel', got '" + decoder.path("type").asText() + "'");
    }
    return new BpeTokenizer(
        name,
        Vocabularies.sha256(json),
        tokens,
        vocab,
        merges,
        byteIds,
        ignoreMerges,
        pieces,
        new AddedTokens(addedContents, addedIds),
        nfc);
  }

  private static Pattern pieces(JsonNode pre, String resource) {
    String type = pre.path("type").asText("");
    if (type.equals("ByteLevel")) {
      checkByteLevel(pre, "pre_tokenizer", resource, true);
      return PiecePatterns.compile(PiecePatterns.GPT2);
    }
    if (type.equals("Sequence")) {
      JsonNode list = pre.path("pretokenizers");
      if (list.size() == 2 && list.get(0).path("type").asText().equals("Split")) {
        JsonNode split = list.get(0);
        String f = "pre_tokenizer.pretokenizers[0]";
        String regex = split.path("pattern").path("Regex").asText(null);
        if (regex == null) {
          throw bad(resource, f + ".pattern.Regex", "missing (only Regex patterns are supported)");
        }
        if (!split.path("behavior").asText().equals("Isolated")
            || split.path("invert").asBoolean(false)) {
          throw bad(resource, f + ".behavior", "only Isolated, invert=false is supported");
        }
        checkByteLevel(list.get(1), "pre_tokenizer.pretokenizers[1]", resource, false);
        try {
          return PiecePatterns.compile(regex);
        } catch (PatternSyntaxException e) {
          throw bad(resource, f + ".pattern.Regex", "not a valid regex: " + e.getDescription());
        }
      }
    }
    throw bad(
        resource,
        "pre_tokenizer",
        "unsupported; expected ByteLevel or Sequence[Split(Regex), ByteLevel(use_regex=false)]");
  }

  private static void checkByteLevel(JsonNode node, String f, String resource, boolean useRegex) {
    if (!node.path("type").asText().equals("ByteLevel")) {
      throw bad(resource, f + ".type", "expected 'ByteLevel'");
    }
    if (node.path("add_prefix_space").asBoolean(false)) {
      throw bad(resource, f + ".add_prefix_space", "true is not supported");
    }
    if (node.path("use_regex").asBoolean(true) != useRegex) {
      throw bad(resource, f + ".use_regex", "expected " + useRegex);
    }
  }

  private static boolean normalizer(JsonNode node, String resource) {
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (node.path("type").asText().equals("NFC")) {
      return true;
    }
    throw bad(
        resource, "normalizer.type", "unsupported '" + node.path("type").asText() + "' (only NFC)");
  }

  private static int tokenId(JsonNode vocab, String token, String resource, String field) {
    JsonNode id = vocab.get(token);
    if (id == null) {
      throw bad(resource, field, "token \"" + token + "\" is not in model.vocab");
    }
    return id.intValue();
  }

  private static int id(JsonNode node, String resource, String field) {
    if (!node.isIntegralNumber()) {
      throw bad(
          resource,
          field,
          "expected an integer id, got " + (node.isMissingNode() ? "nothing" : node.toString()));
    }
    if (!node.canConvertToInt() || node.intValue() < 0) {
      throw bad(resource, field, "id " + node.asText() + " is outside [0, 2^31)");
    }
    return node.intValue();
  }

  private static JsonNode field(JsonNode parent, String prefix, String name, String resource) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      throw bad(resource, prefix + name, "missing");
    }
    return n;
  }

  private static void checkNull(JsonNode model, String name, String resource) {
    JsonNode n = model.get(name);
    if (n != null && !n.isNull()) {
      throw bad(resource, "model." + name, "must be null, got " + n);
    }
  }

  private static void checkEmpty(JsonNode model, String name, String resource) {
    JsonNode n = model.get(name);
    if (n != null && !n.isNull() && !n.asText().isEmpty()) {
      throw bad(resource, "model." + name, "must be null or empty, got " + n);
    }
  }

  private static IllegalArgumentException bad(String resource, String field, String what) {
    return new IllegalArgumentException(
        "invalid tokenizer.json: "
            + (field.isEmpty() ? "" : field + ": ")
            + what
            + " (resource="
            + resource
            + ")");
  }
}
