package io.sluice.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The server's Prometheus metrics, in its own registry (no global state): requests by route and
 * status, errors by code, search latency per mode, dense batch sizes, reloads, requests in flight,
 * and the served index's size (read from the {@link IndexSlot} when scraped). Thread-safe.
 */
final class ServerMetrics {

  // Seconds: from well under a BM25 query to past the default 10 s timeout.
  private static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Counter errors;
  private final Histogram searchSeconds;
  private final Histogram batchSizes;
  private final Counter reloads;
  final AtomicInteger inFlight = new AtomicInteger();

  ServerMetrics(IndexSlot slot) {
    requests =
        Counter.builder()
            .name("sluice_server_requests_total")
            .help("HTTP requests by route, method and status")
            .labelNames("route", "method", "status")
            .register(registry);
    errors =
        Counter.builder()
            .name("sluice_server_errors_total")
            .help("error responses by stable error code")
            .labelNames("code")
            .register(registry);
    searchSeconds =
        Histogram.builder()
            .name("sluice_server_search_seconds")
            .help("time to answer one query (batch requests count each query) by mode")
            .labelNames("mode")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    batchSizes =
        Histogram.builder()
            .name("sluice_server_dense_batch_size")
            .help("queries per micro-batched encoder call")
            .classicOnly()
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    reloads =
        Counter.builder()
            .name("sluice_server_reloads_total")
            .help("index loads by result (ok, rejected)")
            .labelNames("result")
            .register(registry);
    gauge("sluice_server_requests_in_flight", "requests being answered", s -> inFlight.get(), slot);
    gauge(
        "sluice_server_index_passages",
        "passages in the served index",
        s -> s.retriever().passages(),
        slot);
    gauge(
        "sluice_server_index_documents",
        "documents in the served index",
        s -> s.retriever().documents(),
        slot);
    gauge(
        "sluice_server_index_bytes", "bytes of the served index's files", LoadedIndex::bytes, slot);
  }

  private void gauge(String name, String help, ToDoubleFunction<LoadedIndex> f, IndexSlot slot) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            cb -> {
              LoadedIndex i = slot.peek();
              cb.call(i == null ? 0 : f.applyAsDouble(i));
            })
        .register(registry);
  }

  void request(String route, String method, int status) {
    requests.labelValues(route, method, Integer.toString(status)).inc();
  }

  void error(String code) {
    errors.labelValues(code).inc();
  }

  void search(String mode, long nanos) {
    searchSeconds.labelValues(mode).observe(nanos / 1e9);
  }

  void batch(int size) {
    batchSizes.observe(size);
  }

  void reload(String result) {
    reloads.labelValues(result).inc();
  }

  String contentType() {
    return writer.getContentType();
  }

  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }
}
