package io.sluice.feeder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.DoubleSupplier;

/**
 * The feeder's HTTP side: {@code GET /healthz} (200 once the release is open and the Flight server
 * accepts streams) and {@code GET /metrics} in the Prometheus text format. The metrics read the
 * producer's counters when scraped, so serving costs nothing extra.
 */
final class FeederMetrics implements AutoCloseable {
  private final HttpServer http;

  FeederMetrics(String host, int port, FeedProducer producer, DocumentTable table)
      throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    counter(
        registry, "sluice_feeder_streams_opened", "streams opened", producer.streamsOpened::get);
    counter(
        registry,
        "sluice_feeder_stream_errors",
        "streams ended by an error",
        producer.streamErrors::get);
    counter(
        registry, "sluice_feeder_batches_sent", "record batches sent", producer.batchesSent::get);
    counter(
        registry,
        "sluice_feeder_tokens_sent",
        "tokens sent (per column)",
        producer.tokensSent::get);
    counter(
        registry,
        "sluice_feeder_bytes_sent",
        "bytes of columns sent (3 int32 columns)",
        () -> 12.0 * producer.tokensSent.get());
    gauge(
        registry,
        "sluice_feeder_streams_active",
        "streams being served",
        producer.streamsActive::get);
    gauge(registry, "sluice_feeder_documents", "documents in the release", table::documents);
    gauge(registry, "sluice_feeder_shards", "token shards in the release", table::shardCount);
    PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    this.http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext(
        "/metrics",
        ex -> {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          writer.write(body, registry.scrape());
          reply(ex, 200, writer.getContentType(), body.toByteArray());
        });
    http.createContext(
        "/healthz",
        ex -> reply(ex, 200, "text/plain; charset=utf-8", "ok\n".getBytes(StandardCharsets.UTF_8)));
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  private static void counter(PrometheusRegistry r, String name, String help, DoubleSupplier v) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(v.getAsDouble()))
        .register(r);
  }

  private static void gauge(PrometheusRegistry r, String name, String help, DoubleSupplier v) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(v.getAsDouble()))
        .register(r);
  }

  private static void reply(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
