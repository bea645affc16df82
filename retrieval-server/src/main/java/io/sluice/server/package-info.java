/**
 * The retrieval server: an HTTP/JSON search service over a Sluice index ({@link
 * io.sluice.server.SearchServer}), hot-swappable index versions, micro-batched dense queries,
 * Prometheus metrics, and a small Java client ({@link io.sluice.server.SearchClient}).
 */
package io.sluice.server;
