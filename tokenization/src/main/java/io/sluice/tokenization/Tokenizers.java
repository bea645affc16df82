package io.sluice.tokenization;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Creates {@link Tokenizer}s: the bundled models by name, or any byte-level BPE {@code
 * tokenizer.json} from a file.
 *
 * <p>Bundled models: {@code cl100k_base} and {@code o200k_base} (tiktoken, read from the jtokkit
 * jar), {@code llama3} (Meta Llama 3) and {@code qwen3} (Qwen 3), whose {@code tokenizer.json}
 * files ship gzipped in this module's resources (origin and SHA-256 in the README next to them).
 * Models loaded by name are built once per JVM and shared; this class is thread-safe.
 */
public final class Tokenizers {
  private static final String RESOURCES = "/io/sluice/tokenization/";
  private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

  private Tokenizers() {}

  /** The names {@link #byName} accepts. */
  public static List<String> names() {
    return List.of("cl100k_base", "o200k_base", "llama3", "qwen3");
  }

  /**
   * Returns a bundled tokenizer, loading it on first use (about a second for the larger ones).
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws UncheckedIOException when the bundled vocabulary cannot be read
   */
  public static Tokenizer byName(String name) {
    if (!names().contains(name)) {
      throw new IllegalArgumentException(
          "unknown tokenizer '" + name + "', expected one of " + names());
    }
    return LOADED.computeIfAbsent(
        name,
        n -> {
          try {
            return load(n);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + n, e);
          }
        });
  }

  /**
   * A bundled tokenizer by name, or else a {@code tokenizer.json} at that path, loaded once per JVM
   * (Spark tasks on one executor share it). On a cluster the path must be readable by every
   * executor.
   *
   * @throws IllegalArgumentException when it is neither a bundled name nor an existing file
   */
  public static Tokenizer byNameOrPath(String nameOrPath) {
    if (names().contains(nameOrPath)) {
      return byName(nameOrPath);
    }
    Path file = Path.of(nameOrPath).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no bundled tokenizer named '"
              + nameOrPath
              + "' (bundled: "
              + names()
              + ") and no such file");
    }
    return LOADED.computeIfAbsent(
        "file:" + file,
        k -> {
          try {
            return fromFile(file);
          } catch (IOException e) {
            throw new UncheckedIOException(
                "cannot load tokenizer " + file + ": " + e.getMessage(), e);
          }
        });
  }

  /**
   * Loads a Hugging Face {@code tokenizer.json} (optionally gzipped, by a {@code .gz} suffix). Each
   * call builds a new tokenizer.
   *
   * @throws IOException when the file cannot be read or is not JSON
   * @throws IllegalArgumentException when it is not a supported byte-level BPE model; the message
   *     names the file and the field
   */
  public static Tokenizer fromFile(Path file) throws IOException {
    byte[] json;
    try (InputStream in = Files.newInputStream(file)) {
      json =
          file.toString().endsWith(".gz")
              ? new GZIPInputStream(in).readAllBytes()
              : in.readAllBytes();
    }
    String fileName = file.getFileName().toString();
    return HuggingFaceLoader.load(fileName, file.toString(), json);
  }

  private static Tokenizer load(String name) throws IOException {
    switch (name) {
      case "cl100k_base":
        return TiktokenLoader.load(
            name,
            "/com/knuddels/jtokkit/cl100k_base.tiktoken",
            PiecePatterns.CL100K,
            Map.of(
                "<|endoftext|>", 100257,
                "<|fim_prefix|>", 100258,
                "<|fim_middle|>", 100259,
                "<|fim_suffix|>", 100260,
                "<|endofprompt|>", 100276));
      case "o200k_base":
        return TiktokenLoader.load(
            name,
            "/com/knuddels/jtokkit/o200k_base.tiktoken",
            PiecePatterns.O200K,
            Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018));
      default:
        String resource = RESOURCES + name + "-tokenizer.json.gz";
        try (InputStream raw = Tokenizers.class.getResourceAsStream(resource)) {
          if (raw == null) {
            throw new IOException("bundled tokenizer not found: " + resource);
          }
          return HuggingFaceLoader.load(name, resource, new GZIPInputStream(raw).readAllBytes());
        }
    }
  }
}
