package io.sluice.feeder;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;

/**
 * The Arrow allocators of the feeder's server and client: Unsafe-backed, chosen here rather than
 * by the JVM-wide {@code arrow.allocation.manager.type} property, which would also reach the
 * Arrow of a Spark cluster's executors, where Arrow's memory core comes from the cluster's jars
 * and cannot see an Unsafe manager shipped beside Sluice (tokenize then failed to create any
 * allocator). Unsafe: the feeder's batches are short-lived buffers filled by plain puts, where it
 * measured faster than Netty's pooled arenas (BENCHMARKS.md, feeder).
 */
final class FeederMemory {

  private FeederMemory() {}

  /** A root allocator of at most {@code limit} bytes; the caller owns and closes it. */
  static BufferAllocator root(long limit) {
    return new RootAllocator(
        RootAllocator.configBuilder()
            .allocationManagerFactory(UnsafeAllocationManager.FACTORY)
            .maxAllocation(limit)
            .build());
  }
}
