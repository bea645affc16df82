package io.sluice.server;

import io.sluice.index.Retriever;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open index version: its {@link Retriever}, document lookup and description, with a reference
 * count so a hot swap never closes it under a running request.
 *
 * <p>Invariant: the count starts at 1, the reference held by whoever installed it (the {@link
 * IndexSlot}); every {@link #tryAcquire()} that returns true must be paired with one {@link
 * #release()}; {@link #retire()} drops the installer's reference once. The native resources are
 * closed exactly once, by whichever release brings the count to 0, so after retirement the last
 * in-flight request closes it. Once the count is 0 it never rises again. Thread-safe.
 */
final class LoadedIndex {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedIndex.class);

  private final String location;
  private final Path dir;
  private final Retriever retriever;
  private final DocLookup docs;
  private final long bytes;
  private final Instant loadedAt;
  private final AtomicInteger refs = new AtomicInteger(1);
  private final AtomicBoolean retired = new AtomicBoolean();

  /**
   * @param retriever ownership passes to this object
   * @param docs ownership passes to this object
   */
  LoadedIndex(String location, Path dir, Retriever retriever, DocLookup docs, long bytes) {
    this.location = location;
    this.dir = dir;
    this.retriever = retriever;
    this.docs = docs;
    this.bytes = bytes;
    this.loadedAt = Instant.now();
  }

  /** Takes a reference; false once the index has been closed (the caller must look again). */
  boolean tryAcquire() {
    for (; ; ) {
      int r = refs.get();
      if (r == 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    int r = refs.decrementAndGet();
    if (r == 0) {
      closeNow();
    } else if (r < 0) {
      throw new IllegalStateException("LoadedIndex[" + location + "] released more than acquired");
    }
  }

  /** Drops the installer's reference; the index closes when the last request lets go. */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      release();
    }
  }

  /** References held now (the installer's included); for tests and metrics. */
  int references() {
    return refs.get();
  }

  private void closeNow() {
    try {
      retriever.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing index {} failed: {}", location, e.toString());
    }
    try {
      docs.close();
    } catch (IOException e) {
      LOG.warn("closing document lookup of {} failed: {}", location, e.toString());
    }
    LOG.info("closed index {}", location);
  }

  Retriever retriever() {
    return retriever;
  }

  DocLookup docs() {
    return docs;
  }

  String location() {
    return location;
  }

  Path dir() {
    return dir;
  }

  long bytes() {
    return bytes;
  }

  Instant loadedAt() {
    return loadedAt;
  }
}
