package io.sluice.core.storage;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to reach S3: endpoint (null for AWS itself), region, path-style addressing and static
 * credentials (null to use the AWS default provider chain). Immutable; {@link #toString()} never
 * shows the secret key.
 *
 * @param maxAttempts attempts per request including the first; tests use 1 to fail fast
 */
public record StorageConfig(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    Duration callTimeout,
    int maxAttempts)
    implements java.io.Serializable {

  public StorageConfig {
    region = region == null || region.isBlank() ? "us-east-1" : region;
    callTimeout = callTimeout == null ? Duration.ofMinutes(5) : callTimeout;
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("give both an S3 access key and a secret key, or neither");
    }
  }

  /** AWS defaults: no endpoint override, credentials from the default chain. */
  public static StorageConfig defaults() {
    return new StorageConfig(null, null, false, null, null, null, 4);
  }

  /**
   * Reads {@code SLUICE_S3_ENDPOINT}, {@code SLUICE_S3_PATH_STYLE}, {@code AWS_REGION} (or {@code
   * AWS_DEFAULT_REGION}), {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}. An endpoint
   * implies path-style unless said otherwise, since S3-compatible servers mostly need it.
   */
  public static StorageConfig fromEnvironment(Map<String, String> env) {
    String endpoint = env.get("SLUICE_S3_ENDPOINT");
    String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
    String pathStyle = env.get("SLUICE_S3_PATH_STYLE");
    boolean path = pathStyle == null ? endpoint != null : Boolean.parseBoolean(pathStyle);
    return new StorageConfig(
        endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint),
        region,
        path,
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
        null,
        4);
  }

  public StorageConfig withEndpoint(URI newEndpoint, boolean newPathStyle) {
    return new StorageConfig(
        newEndpoint, region, newPathStyle, accessKey, secretKey, callTimeout, maxAttempts);
  }

  public StorageConfig withCredentials(String newAccessKey, String newSecretKey) {
    return new StorageConfig(
        endpoint, region, pathStyle, newAccessKey, newSecretKey, callTimeout, maxAttempts);
  }

  public StorageConfig withRetries(int newMaxAttempts, Duration newCallTimeout) {
    return new StorageConfig(
        endpoint, region, pathStyle, accessKey, secretKey, newCallTimeout, newMaxAttempts);
  }

  /**
   * The Hadoop {@code fs.s3a.*} settings that make Spark's s3a connector use this configuration.
   */
  public Map<String, String> hadoopS3aOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("fs.s3.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    o.put("fs.s3a.endpoint.region", region);
    o.put("fs.s3a.path.style.access", Boolean.toString(pathStyle));
    o.put("fs.s3a.attempts.maximum", Integer.toString(maxAttempts));
    o.put("fs.s3a.retry.limit", Integer.toString(maxAttempts));
    if (endpoint != null) {
      o.put("fs.s3a.endpoint", endpoint.toString());
      o.put(
          "fs.s3a.connection.ssl.enabled", Boolean.toString("https".equals(endpoint.getScheme())));
      // S3-compatible servers (S3Proxy among them) do not support the multipart-upload listing
      // that the committer's cleanup uses.
      o.put("mapreduce.fileoutputcommitter.cleanup.skipped", "true");
      // Deleting parent directory markers that do not exist fails on some S3-compatible servers
      // (S3Proxy answers 500); keeping markers avoids those deletes and is the cheaper policy
      // anyway.
      o.put("fs.s3a.directory.marker.retention", "keep");
      o.put("mapreduce.fileoutputcommitter.algorithm.version", "2");
    }
    if (accessKey != null) {
      o.put("fs.s3a.access.key", accessKey);
      o.put("fs.s3a.secret.key", secretKey);
      o.put(
          "fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
    return o;
  }

  @Override
  public String toString() {
    return "StorageConfig[endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", accessKey="
        + (accessKey == null ? "<default chain>" : accessKey)
        + ", maxAttempts="
        + maxAttempts
        + "]";
  }
}
