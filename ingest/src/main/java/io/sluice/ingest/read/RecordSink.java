package io.sluice.ingest.read;

import io.sluice.core.doc.Quarantined;

/**
 * Where a reader sends what it finds. Implementations need not be thread-safe: a reader calls it
 * from one thread.
 */
public interface RecordSink {

  void document(RawDocument doc);

  void quarantine(Quarantined record);

  /** A record that is not a document by design (WARC request/metadata records), counted by type. */
  void skipped(String what);
}
