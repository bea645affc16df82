package io.sluice.server;

import io.sluice.index.Hit;
import io.sluice.index.Retriever;
import io.sluice.index.SearchMode;
import io.sluice.index.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Answers {@code POST /v1/search}: parses the body, holds one index version for the whole request,
 * and runs each query. BM25 queries run on the request thread; dense and hybrid queries go through
 * the {@link DenseBatcher} when batching is on, else run on the request thread too. A batch request
 * whose queries share their options is already a batch and goes to the index in one call.
 * Thread-safe.
 */
final class SearchHandler {

  private final ServerConfig config;
  private final IndexSlot slot;
  private final SearchParser parser;
  private final DenseBatcher batcher; // null when batching is off
  private final ServerMetrics metrics;
  private final Semaphore searching;

  SearchHandler(ServerConfig config, IndexSlot slot, DenseBatcher batcher, ServerMetrics metrics) {
    this.config = config;
    this.slot = slot;
    this.parser = new SearchParser(config);
    this.batcher = batcher;
    this.metrics = metrics;
    this.searching = new Semaphore(config.searchThreads(), true);
  }

  /** The response body (a map for Jackson) for a request body. */
  Map<String, Object> search(byte[] body) {
    long start = System.nanoTime();
    LoadedIndex index = slot.acquire();
    try {
      Retriever r = index.retriever();
      SearchParser.Parsed p =
          parser.parse(body, r.hasDense() ? SearchMode.HYBRID : SearchMode.BM25);
      for (SearchRequest q : p.requests()) {
        if (q.mode() != SearchMode.BM25 && !r.hasDense()) {
          throw ApiException.badRequest(
              "mode_unavailable",
              "mode " + mode(q) + " needs a dense index; this index has BM25 only");
        }
      }
      List<List<Hit>> hits = run(index, p);
      long took = System.nanoTime() - start;
      for (SearchRequest q : p.requests()) {
        metrics.search(mode(q), took / p.requests().size());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      if (p.batch()) {
        List<Map<String, Object>> results = new ArrayList<>(hits.size());
        for (List<Hit> h : hits) {
          results.add(Map.of("hits", Responses.hits(h)));
        }
        out.put("results", results);
      } else {
        out.put("hits", Responses.hits(hits.get(0)));
        out.put("mode", mode(p.requests().get(0)));
      }
      out.put("took_ms", Responses.millis(System.nanoTime() - start));
      return out;
    } finally {
      index.release();
    }
  }

  private List<List<Hit>> run(LoadedIndex index, SearchParser.Parsed p) {
    List<SearchRequest> qs = p.requests();
    long deadline = System.nanoTime() + config.timeout().toNanos();
    if (p.batch() && sameOptions(qs)) {
      List<String> texts = qs.stream().map(SearchRequest::query).toList();
      return onSearchThread(deadline, () -> index.retriever().searchBatch(texts, qs.get(0)));
    }
    List<CompletableFuture<List<Hit>>> pending = new ArrayList<>(qs.size());
    for (SearchRequest q : qs) {
      if (q.mode() == SearchMode.BM25 || batcher == null) {
        pending.add(
            CompletableFuture.completedFuture(
                onSearchThread(deadline, () -> index.retriever().search(q))));
      } else {
        pending.add(batcher.submit(index, q));
      }
    }
    List<List<Hit>> out = new ArrayList<>(qs.size());
    try {
      for (CompletableFuture<List<Hit>> f : pending) {
        out.add(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      return out;
    } catch (TimeoutException e) {
      pending.forEach(f -> f.cancel(false));
      throw timeout();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.forEach(f -> f.cancel(false));
      throw new ApiException(503, "shutting_down", "the server is shutting down");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("dense search failed", e.getCause());
    }
  }

  /**
   * Runs a search on the request thread once one of the {@code searchThreads} slots is free,
   * first come first served. Why a limit: with more searches running than cores, the OS slices
   * them and every one takes longer; queueing the rest keeps each search's latency its own CPU time
   * and the tail short, at the same throughput.
   */
  private <T> T onSearchThread(long deadline, Supplier<T> search) {
    try {
      if (!searching.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw timeout();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "shutting_down", "the server is shutting down");
    }
    try {
      return search.get();
    } finally {
      searching.release();
    }
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
