package io.sluice.core.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a release: what it is, how it was made, and every file in it with
 * its size and sha256. A release without one is not a release; readers verify what they read
 * against it.
 *
 * @param files every file of the release but the manifest itself, paths relative to the release
 *     root with {@code /} separators, sorted
 * @param stages each stage's {@code stats.json}, by stage directory name
 * @param mixture the mixture plan ({@code mixture.json}), or null
 * @param pipeline the pipeline config the release was made with, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseManifest(
    String name,
    String version,
    String created,
    @JsonProperty("sluice_version") String sluiceVersion,
    JsonNode pipeline,
    String tokenizer,
    Map<String, JsonNode> stages,
    JsonNode mixture,
    List<FileEntry> files) {

  /** The file name of the manifest inside a release. */
  public static final String FILE = "manifest.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** One file of a release. */
  public record FileEntry(String path, long bytes, String sha256) {}

  public long totalBytes() {
    return files.stream().mapToLong(FileEntry::bytes).sum();
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  public static ReleaseManifest read(InputStream in, String where) throws IOException {
    ReleaseManifest m;
    try {
      m = JSON.readValue(in, ReleaseManifest.class);
    } catch (IOException e) {
      throw new IOException(
          "release manifest " + where + " is not valid JSON: " + e.getMessage(), e);
    }
    if (m == null || m.name() == null || m.version() == null || m.files() == null) {
      throw new IOException("release manifest " + where + " lacks name, version or files");
    }
    return m;
  }
}
