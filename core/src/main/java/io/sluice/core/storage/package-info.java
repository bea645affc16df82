/**
 * One way to read, write and list files that live on local disk or in S3 ({@code s3://bucket/key},
 * AWS or any S3-compatible server), plus the matching {@code s3a://} settings for Spark.
 */
package io.sluice.core.storage;
