package io.sluice.server;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The index version being served. Requests {@link #acquire()} the current version and release it
 * when done; {@link #install} swaps in a new one atomically and retires the old, which closes once
 * its last request has released it. So a swap never fails or blocks a request: each request sees
 * either the old or the new version for its whole run. Thread-safe.
 */
final class IndexSlot implements AutoCloseable {

  private final AtomicReference<LoadedIndex> current = new AtomicReference<>();

  /**
   * A reference to the current version, to be {@link LoadedIndex#release() released} by the caller.
   *
   * @throws ApiException 503 {@code not_ready} before the first index is installed
   */
  LoadedIndex acquire() {
    for (; ; ) {
      LoadedIndex i = current.get();
      if (i == null) {
        throw new ApiException(503, "not_ready", "no index loaded yet");
      }
      if (i.tryAcquire()) {
        return i;
      }
      // Retired and closed between get() and tryAcquire(): the slot already holds a newer one.
    }
  }

  /** The current version without taking a reference (only for its immutable description). */
  LoadedIndex peek() {
    return current.get();
  }

  /**
   * Serves {@code next} from now on.
   *
   * @param next ownership passes to the slot
   */
  void install(LoadedIndex next) {
    LoadedIndex old = current.getAndSet(next);
    if (old != null) {
      old.retire();
    }
  }

  @Override
  public void close() {
    LoadedIndex old = current.getAndSet(null);
    if (old != null) {
      old.retire();
    }
  }
}
