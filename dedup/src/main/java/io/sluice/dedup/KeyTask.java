package io.sluice.dedup;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The one pass over the documents' text, on the executors: rows {@code (id, grp, kind, text,
 * rank...)} in, narrow rows {@code (id, grp, exact_hash, sig, rank...)} out, where {@code sig} is
 * the MinHash signature as big-endian 32-bit ints in a binary column (4 bytes per permutation) and
 * the rank columns (what decides which copy is kept) pass through. Everything after this works on
 * these rows, never on the text.
 */
final class KeyTask implements MapFunction<Row, Row> {

  private static final long serialVersionUID = 1L;
  private static final int PASSED_FROM = 4;

  private final Shingler shingler;
  private final MinHasher hasher;

  KeyTask(Shingler shingler, MinHasher hasher) {
    this.shingler = shingler;
    this.hasher = hasher;
  }

  @Override
  public Row call(Row r) {
    Shingler.Shingled s = shingler.shingle(r.getString(3), r.getString(2));
    Object[] out = new Object[r.length()];
    out[0] = r.getString(0);
    out[1] = r.getString(1);
    out[2] = s.exactHash();
    out[3] = MinHasher.toBytes(hasher.signature(s.shingles()));
    for (int i = PASSED_FROM; i < r.length(); i++) {
      out[i] = r.get(i);
    }
    return RowFactory.create(out);
  }
}
