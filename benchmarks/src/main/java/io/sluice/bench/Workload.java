package io.sluice.bench;

/**
 * One system's pass over a fixed input, the unit {@link Passes} times.
 *
 * @param phase the phase column of the table (parse, extract, langid, ...)
 * @param system what runs; anchors say so in their name
 * @param bytes input bytes one pass processes (what they are is stated in {@code notes})
 * @param cores cores the pass may use; the per-core columns divide by it
 * @param notes what the bytes are, and anything needed to compare the row with its anchor
 * @param pass runs one pass
 */
record Workload(String phase, String system, long bytes, int cores, String notes, Pass pass) {

  Workload {
    if (bytes <= 0 || cores <= 0) {
      throw new IllegalArgumentException(
          "workload "
              + system
              + ": bytes and cores must be positive, got bytes="
              + bytes
              + ", cores="
              + cores);
    }
  }

  /** One pass over the input. */
  @FunctionalInterface
  interface Pass {
    /**
     * @return the documents (or records) the pass produced, the same number every pass; -1 where
     *     the system has no notion of documents
     */
    long run() throws Exception;
  }
}
