package io.sluice.server;

import io.sluice.index.Hit;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Answers {@code POST /v1/search}: parses the body, holds one index version until the answer is
 * ready, and runs each query off the event loop that read it:
 *
 * <ul>
 *   <li>dense and hybrid queries: queued for the {@link DenseBatcher} when batching is on;
 *   <li>BM25 queries, batch requests, and dense queries when batching is off: on the search pool (a
 *       thread per core), first come first served. A batch request whose queries share their
 *       options is already a batch and goes to the index in one call.
 * </ul>
 *
 * <p>Why BM25 goes to the pool although a search takes only about 0.1 ms: answered on the event
 * loops, each loop serves its own connections in turn, so when the OS runs something else on a
 * loop's core (the GC, the JIT, another process) all its connections wait; with one queue for all
 * connections the other threads keep taking the oldest requests. At 50 clients on 2 cores that
 * cut the slowest requests severalfold at the same throughput (BENCHMARKS.md).
 *
 * <p>A query whose answer is not ready within the timeout gets 504 (a queued one is then skipped).
 * Thread-safe.
 */
final class SearchHandler {

  private final ServerConfig config;
  private final IndexSlot slot;
  private final SearchParser parser;
  private final DenseBatcher batcher; // null when batching is off
  private final ServerMetrics metrics;
  private final Executor pool;
  private final Responses responses;

  SearchHandler(
      ServerConfig config,
      IndexSlot slot,
      DenseBatcher batcher,
      ServerMetrics metrics,
      Responses responses,
      Executor pool) {
    this.config = config;
    this.slot = slot;
    this.parser = new SearchParser(config);
    this.batcher = batcher;
    this.metrics = metrics;
    this.responses = responses;
    this.pool = pool;
  }

  /**
   * The response body (JSON) for a request body, when it is ready.
   *
   * @throws ApiException when the request is refused before any search runs
   */
  CompletableFuture<byte[]> search(byte[] body) {
    long start = System.nanoTime();
    LoadedIndex index = slot.acquire();
    SearchParser.Parsed p;
    CompletableFuture<List<List<Hit>>> hits;
    try {
      Retriever r = index.retriever();
      p = parser.parse(body, r.hasDense() ? SearchMode.HYBRID : SearchMode.BM25);
      for (SearchRequest q : p.requests()) {
        if (q.mode() != SearchMode.BM25 && !r.hasDense()) {
          throw ApiException.badRequest(
              "mode_unavailable",
              "mode " + mode(q) + " needs a dense index; this index has BM25 only");
        }
      }
      hits = run(index, p, start + config.timeout().toNanos());
    } catch (RuntimeException e) {
      index.release();
      throw e;
    }
    // The batcher and the pool hold references of their own while they search, so this one may
    // go as soon as the answer is in (or the request gave up waiting).
    return hits.whenComplete((h, e) -> index.release()).thenApply(h -> answer(p, h, start));
  }

  private byte[] answer(SearchParser.Parsed p, List<List<Hit>> hits, long start) {
    long took = System.nanoTime() - start;
    for (SearchRequest q : p.requests()) {
      metrics.search(mode(q), took / p.requests().size());
    }
    return responses.search(hits, p.batch(), mode(p.requests().get(0)), Responses.millis(took));
  }

  private CompletableFuture<List<List<Hit>>> run(
      LoadedIndex index, SearchParser.Parsed p, long deadline) {
    List<SearchRequest> qs = p.requests();
    if (p.batch() && sameOptions(qs)) {
      List<String> texts = qs.stream().map(SearchRequest::query).toList();
      return onPool(index, deadline, (r, stop) -> r.searchBatch(texts, qs.get(0), stop));
    }
    List<CompletableFuture<List<Hit>>> pending = new ArrayList<>(qs.size());
    for (SearchRequest q : qs) {
      if (q.mode() == SearchMode.BM25 || batcher == null) {
        pending.add(
            onPool(index, deadline, (r, stop) -> r.searchBatch(List.of(q.query()), q, stop).get(0)));
      } else {
        pending.add(within(batcher.submit(index, q), deadline));
      }
    }
    if (pending.size() == 1) {
      return pending.get(0).thenApply(List::of);
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .thenApply(done -> pending.stream().map(CompletableFuture::join).toList());
  }

  /** A search run on the pool, told when its request has stopped waiting. */
  private interface PoolSearch<T> {
    T run(Retriever retriever, BooleanSupplier stop);
  }

  /**
   * Runs a search on the pool with a reference of its own on {@code index}, skipped when its
   * request stopped waiting or its deadline passed before a thread was free, and stopped (between
   * queries, and every few dozen hits) when that happens while it runs: work past its deadline
   * does not hold a search thread from the requests behind it.
   */
  private <T> CompletableFuture<T> onPool(
      LoadedIndex index, long deadline, PoolSearch<T> search) {
    if (!index.tryAcquire()) {
      throw new IllegalStateException("onPool() needs a caller that holds a reference");
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    try {
      pool.execute(
          () -> {
            try {
              if (answer.isDone()) {
                return; // its request stopped waiting
              }
              if (System.nanoTime() - deadline > 0) {
                answer.completeExceptionally(timeout()); // would only finish later still
                return;
              }
              BooleanSupplier stop = () -> answer.isDone() || System.nanoTime() - deadline > 0;
              answer.complete(search.run(index.retriever(), stop));
            } catch (java.util.concurrent.CancellationException e) {
              // stopped at its deadline, maybe a moment before the timeout's own timer fired
              answer.completeExceptionally(timeout());
            } catch (RuntimeException | Error e) {
              answer.completeExceptionally(e);
            } finally {
              index.release();
            }
          });
    } catch (RejectedExecutionException e) {
      index.release();
      throw new ApiException(503, "shutting_down", "the server is shutting down");
    }
    return within(answer, deadline);
  }

  /** {@code answer}, failing with 504 {@code timeout} when not complete by {@code deadline}. */
  private <T> CompletableFuture<T> within(CompletableFuture<T> answer, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) { // even if the answer has just come: it came after the deadline
      answer.cancel(false);
      throw timeout();
    }
    return answer
        .orTimeout(Math.max(left, 1), TimeUnit.NANOSECONDS)
        .handle(
            (v, e) -> {
              if (e == null) {
                return v;
              }
              Throwable cause = unwrap(e);
              if (cause instanceof TimeoutException) {
                throw timeout();
              }
              throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
            });
  }

  static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private ApiException timeout() {
    return new ApiException(
        504, "timeout", "the search took longer than " + config.timeout().toMillis() + " ms");
  }

  private static boolean sameOptions(List<SearchRequest> qs) {
    SearchRequest first = qs.get(0).withQuery("");
    return qs.stream().allMatch(q -> q.withQuery("").equals(first));
  }

  static String mode(SearchRequest q) {
    return q.mode().name().toLowerCase(Locale.ROOT);
  }
}
