package io.sluice.core.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output stream over a local temporary file that is published (moved in place, uploaded) only
 * when the stream is closed, and deleted in every case. This is what makes {@link Storage#create}
 * atomic. Not thread-safe, like any output stream.
 */
final class PublishOnClose extends FilterOutputStream {

  /** What publishing a finished temporary file means for a storage. */
  @FunctionalInterface
  interface Publisher {
    void publish(Path finishedTemporaryFile) throws IOException;
  }

  private final Path tmp;
  private final Publisher publisher;
  private boolean closed;

  PublishOnClose(Path tmp, Publisher publisher) throws IOException {
    super(Files.newOutputStream(tmp));
    this.tmp = tmp;
    this.publisher = publisher;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
      publisher.publish(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
