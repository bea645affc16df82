package io.sluice.core.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Files on local disk or in S3, behind one small API. Paths are either local paths or {@code
 * s3://bucket/key} URIs; {@link #forPath} picks the implementation.
 *
 * <p>Writes are atomic: what {@link #create} returns becomes visible under its path only when
 * closed without error, so a failed write never leaves a file that looks complete.
 *
 * <p>Implementations are thread-safe. Close a storage to release its HTTP connections.
 */
public interface Storage extends Closeable {

  /**
   * Opens a file for reading. A missing file gives {@link java.io.FileNotFoundException} naming it.
   */
  InputStream open(String path) throws IOException;

  /** Creates (or replaces) a file; its content appears atomically when the stream is closed. */
  OutputStream create(String path) throws IOException;

  /** All files below {@code prefix} (recursively), sorted by path; a single file lists itself. */
  List<StorageEntry> list(String prefix) throws IOException;

  boolean exists(String path) throws IOException;

  /** Deletes a file, or everything below a prefix. Missing paths are not an error. */
  void delete(String path) throws IOException;

  /** True for {@code s3://} and {@code s3a://} URIs. */
  static boolean isS3(String path) {
    return path.startsWith("s3://") || path.startsWith("s3a://");
  }

  /** The storage for {@code path}: {@link S3Storage} for S3 URIs, local disk otherwise. */
  static Storage forPath(String path, StorageConfig config) {
    return isS3(path) ? new S3Storage(config) : new LocalStorage();
  }
}
