package io.sluice.core.stage;

import java.nio.file.Paths;
import org.apache.hadoop.fs.Path;

/**
 * Turns the paths users type into Hadoop paths: {@code s3://} becomes {@code s3a://}, local paths
 * become absolute {@code file:} URIs.
 */
public final class HadoopPaths {

  private HadoopPaths() {}

  public static Path of(String path) {
    return new Path(uri(path));
  }

  public static String uri(String path) {
    if (path.startsWith("s3://")) {
      return "s3a://" + path.substring(5);
    }
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || path.startsWith("file:")) {
      return path;
    }
    return Paths.get(path).toAbsolutePath().normalize().toUri().toString();
  }
}
