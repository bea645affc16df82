package io.sluice.dedup;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Computes MinHash signatures on the executors: rows {@code (id, grp, kind, text)} in, rows {@code
 * (id, grp, sig)} out, where {@code sig} is the signature as big-endian 32-bit ints in a binary
 * column (4 bytes per permutation; compact, and no boxing of array elements).
 */
final class SignatureTask implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final Shingler shingler;
  private final MinHasher hasher;

  SignatureTask(Shingler shingler, MinHasher hasher) {
    this.shingler = shingler;
    this.hasher = hasher;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        int[] sig = hasher.signature(shingler.shingles(r.getString(3), r.getString(2)));
        return RowFactory.create(r.getString(0), r.getString(1), MinHasher.toBytes(sig));
      }
    };
  }
}
