package io.sluice.ingest.read;

import io.sluice.core.doc.Quarantined;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link RecordSink} that keeps everything, for tests. */
final class CollectingSink implements RecordSink {

  final List<RawDocument> documents = new ArrayList<>();
  final List<Quarantined> quarantined = new ArrayList<>();
  final Map<String, Integer> skipped = new TreeMap<>();

  @Override
  public void document(RawDocument doc) {
    documents.add(doc);
  }

  @Override
  public void quarantine(Quarantined record) {
    quarantined.add(record);
  }

  @Override
  public void skipped(String what) {
    skipped.merge(what, 1, Integer::sum);
  }

  List<String> reasons() {
    return quarantined.stream().map(Quarantined::reason).toList();
  }
}
