package io.sluice.server;

import io.sluice.index.Hit;
import io.sluice.index.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Micro-batches concurrent dense and hybrid queries: each worker thread (one per core by default)
 * takes the first waiting query and those queued behind it; when there were any (the server is
 * under load), it gathers more for up to {@code window} (or until {@code max}), else the lone
 * query goes at once. It answers each group of queries that share an index version and request
 * options (k, mode, filters) with one {@code Retriever.searchBatch} call, i.e. one call of the
 * query tower and one FAISS search.
 *
 * <p>Each queued query holds its own reference on its {@link LoadedIndex}, released by the worker
 * after the search, so a request that times out and lets go of its index cannot close it under the
 * worker. Thread-safe; {@link #close()} stops the workers and fails what is still queued.
 */
final class DenseBatcher implements AutoCloseable {

  private record Pending(
      LoadedIndex index, SearchRequest request, CompletableFuture<List<Hit>> hits) {}

  private final BlockingQueue<Pending> queue;
  private final long windowNanos;
  private final int max;
  private final IntConsumer batchSizes;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param batchSizes told the size of every encoder call (for metrics)
   */
  DenseBatcher(long windowNanos, int max, int queueMax, int threads, IntConsumer batchSizes) {
    this.queue = new ArrayBlockingQueue<>(queueMax);
    this.windowNanos = windowNanos;
    this.max = max;
    this.batchSizes = batchSizes;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::run, "sluice-dense-batcher-" + i);
      t.setDaemon(true);
      t.start();
      workers.add(t);
    }
  }

  /**
   * Queues a query. The caller holds a reference on {@code index}; the batcher takes its own.
   *
   * @throws ApiException 503 {@code overloaded} when the queue is full
   */
  CompletableFuture<List<Hit>> submit(LoadedIndex index, SearchRequest request) {
    if (closed) {
      throw new ApiException(503, "shutting_down", "the server is shutting down");
    }
    if (!index.tryAcquire()) {
      throw new IllegalStateException("submit() needs a caller that holds a reference");
    }
    Pending p = new Pending(index, request, new CompletableFuture<>());
    if (!queue.offer(p)) {
      index.release();
      throw new ApiException(503, "overloaded", "too many dense queries waiting; retry later");
    }
    return p.hits();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(max);
    while (!closed) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, max - batch.size());
        // Wait for more only under load, i.e. when others were already queued behind the first:
        // a lone query (one client, or a quiet moment) goes at once instead of paying the window.
        long deadline = System.nanoTime() + windowNanos;
        while (batch.size() > 1 && batch.size() < max) {
          long left = deadline - System.nanoTime();
          Pending p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (p == null) {
            break;
          }
          batch.add(p);
          queue.drainTo(batch, max - batch.size());
        }
        execute(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
  }

  private void execute(List<Pending> batch) {
    // Group by index version and by everything in the request except its text.
    Map<List<Object>, List<Pending>> groups = new LinkedHashMap<>();
    for (Pending p : batch) {
      if (p.hits().isDone()) { // timed out and cancelled by its request
        p.index().release();
        continue;
      }
      groups
          .computeIfAbsent(List.of(p.index(), p.request().withQuery("")), g -> new ArrayList<>())
          .add(p);
    }
    for (List<Pending> g : groups.values()) {
      List<String> texts = new ArrayList<>(g.size());
      for (Pending p : g) {
        texts.add(p.request().query());
      }
      try {
        batchSizes.accept(g.size());
        List<List<Hit>> hits = g.get(0).index().retriever().searchBatch(texts, g.get(0).request());
        for (int i = 0; i < g.size(); i++) {
          g.get(i).hits().complete(hits.get(i));
        }
      } catch (RuntimeException | Error e) {
        for (Pending p : g) {
          p.hits().completeExceptionally(e);
        }
      } finally {
        for (Pending p : g) {
          p.index().release();
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      for (Thread t : workers) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending p : left) {
      p.hits()
          .completeExceptionally(new ApiException(503, "shutting_down", "server shutting down"));
      p.index().release();
    }
  }
}
