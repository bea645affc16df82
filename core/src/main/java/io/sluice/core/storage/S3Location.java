package io.sluice.core.storage;

/**
 * A parsed {@code s3://bucket/key} (or {@code s3a://}) URI. The key has no leading slash and may be
 * empty.
 */
record S3Location(String bucket, String key) {

  static S3Location parse(String uri) {
    String rest;
    if (uri.startsWith("s3://")) {
      rest = uri.substring(5);
    } else if (uri.startsWith("s3a://")) {
      rest = uri.substring(6);
    } else {
      throw new IllegalArgumentException("not an S3 URI (want s3://bucket/key): " + uri);
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("S3 URI has no bucket: " + uri);
    }
    return new S3Location(bucket, key);
  }

  String uri(String otherKey) {
    return "s3://" + bucket + "/" + otherKey;
  }

  @Override
  public String toString() {
    return uri(key);
  }
}
