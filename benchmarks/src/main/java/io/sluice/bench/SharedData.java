package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The shared data the benchmarks read ({@code SLUICE_SHARED_DATA}, default {@code ../shared/data}
 * relative to the working directory, which {@code ./bench} sets to the repository root), and
 * helpers to load it into memory. Stateless.
 */
final class SharedData {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SharedData() {}

  /** The shared data directory. @throws IllegalStateException naming the path if it is missing */
  static Path root() {
    String configured = System.getenv("SLUICE_SHARED_DATA");
    Path root =
        Path.of(configured != null && !configured.isBlank() ? configured : "../shared/data")
            .toAbsolutePath()
            .normalize();
    if (!Files.isDirectory(root.resolve("web"))) {
      throw new IllegalStateException(
          "shared data not found: "
              + root
              + " has no web/ directory (set SLUICE_SHARED_DATA to the shared data directory)");
    }
    return root;
  }

  /** Files of {@code dir} matching {@code glob}, sorted by name. */
  static List<Path> files(Path dir, String glob) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob)) {
      found.forEach(files::add);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no files match " + glob + " in " + dir);
    }
    files.sort(null);
    return files;
  }

  /**
   * The string field {@code field} of every line of a gzip-compressed JSONL file, in file order.
   */
  static List<String> jsonlField(Path jsonlGz, String field) throws IOException {
    List<String> values = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(jsonlGz), 1 << 16),
                StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode value = JSON.readTree(line).get(field);
        if (value == null || !value.isTextual()) {
          throw new IllegalStateException(
              "line "
                  + (values.size() + 1)
                  + " of "
                  + jsonlGz
                  + " has no string field '"
                  + field
                  + "'");
        }
        values.add(value.asText());
      }
    }
    return values;
  }

  /** Size of a gzip file's content, after decompression. */
  static long gunzippedSize(Path gz) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
      return in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decompress " + gz, e);
    }
  }

  /** Total UTF-8 size of {@code texts}. */
  static long utf8Bytes(List<String> texts) {
    long bytes = 0;
    for (String t : texts) {
      bytes += t.getBytes(StandardCharsets.UTF_8).length;
    }
    return bytes;
  }
}
