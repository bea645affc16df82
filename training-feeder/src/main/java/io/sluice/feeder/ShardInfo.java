package io.sluice.feeder;

/**
 * One token shard as its sidecar describes it (DESIGN.md §3).
 *
 * @param path where the shard lives (local path or {@code s3://} URI)
 * @param sha256 lower-case hex SHA-256 of the shard file, checked before its tokens are served
 */
record ShardInfo(
    String name,
    String path,
    String sha256,
    long rows,
    long tokens,
    long bytes,
    String tokenizer,
    String vocabularySha256) {}
