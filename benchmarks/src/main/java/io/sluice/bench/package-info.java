/**
 * Throughput benchmarks of Sluice's hot paths, each measured beside its anchor in the same JVM run
 * and printed as one table; started by {@code ./bench} at the repository root (see BENCHMARKS.md).
 */
package io.sluice.bench;
