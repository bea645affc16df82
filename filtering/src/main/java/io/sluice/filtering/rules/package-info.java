/**
 * The filtering rules: published thresholds over {@link io.sluice.filtering.signals.Signal}s, each
 * explainable per document.
 */
package io.sluice.filtering.rules;
