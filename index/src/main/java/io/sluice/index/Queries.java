package io.sluice.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads a queries file: JSON lines with {@code _id} (or {@code id}) and {@code text} (BEIR). */
public final class Queries {

  private Queries() {}

  /**
   * @return query id → text, in file order
   * @throws IllegalArgumentException naming the file, line and field of a bad record
   */
  public static Map<String, String> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("queries file not found: " + file);
    }
    ObjectMapper om = new ObjectMapper();
    Map<String, String> out = new LinkedHashMap<>();
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int lineNo = 0;
      for (String line; (line = r.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode j;
        try {
          j = om.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "bad JSON on line " + lineNo + " of " + file + ": " + e.getMessage());
        }
        JsonNode id = j.has("_id") ? j.get("_id") : j.get("id");
        JsonNode text = j.get("text");
        if (id == null || text == null || !text.isTextual()) {
          throw new IllegalArgumentException(
              "line "
                  + lineNo
                  + " of "
                  + file
                  + ": missing field '"
                  + (id == null ? "_id" : "text")
                  + "'");
        }
        out.put(id.asText(), text.asText());
      }
    }
    return out;
  }
}
