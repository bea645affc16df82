package io.sluice.jobs;

import io.sluice.core.storage.StorageConfig;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The S3 options every command shares; unset ones fall back to the environment ({@link
 * StorageConfig#fromEnvironment}).
 */
final class S3Options {

  @Option(
      names = "--s3.endpoint",
      paramLabel = "URL",
      description =
          "S3-compatible endpoint, e.g. http://127.0.0.1:9000 (default: AWS, or"
              + " $SLUICE_S3_ENDPOINT)")
  URI endpoint;

  @Option(
      names = "--s3.region",
      paramLabel = "REGION",
      description = "region (default: $AWS_REGION or us-east-1)")
  String region;

  @Option(
      names = "--s3.path-style",
      paramLabel = "BOOL",
      description = "path-style addressing (default: true when an endpoint is set)")
  Boolean pathStyle;

  StorageConfig config() {
    StorageConfig c = StorageConfig.fromEnvironment(System.getenv());
    if (endpoint != null) {
      c = c.withEndpoint(endpoint, pathStyle == null || pathStyle);
    } else if (pathStyle != null) {
      c = c.withEndpoint(c.endpoint(), pathStyle);
    }
    if (region != null) {
      c =
          new StorageConfig(
              c.endpoint(),
              region,
              c.pathStyle(),
              c.accessKey(),
              c.secretKey(),
              c.callTimeout(),
              c.maxAttempts());
    }
    return c;
  }
}
