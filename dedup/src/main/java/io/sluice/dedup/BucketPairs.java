package io.sluice.dedup;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Candidate pairs from LSH band buckets, streaming over a partition of band rows {@code (grp, band,
 * bh, id)} sorted by those columns, so that each bucket is a run of rows and its first row holds
 * its smallest id. A bucket of up to {@code cap} documents yields every pair in it; a larger one
 * yields a star from its smallest id to every other member plus one marker row {@code (head, null)}
 * that counts it as capped. Memory is bounded by the cap (at most {@code cap} ids and {@code cap *
 * (cap - 1) / 2} pairs of one bucket at a time), whatever the size of the bucket.
 *
 * <p>Output rows are {@code (a, b)}; singleton buckets produce nothing.
 */
final class BucketPairs implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final int cap;

  BucketPairs(int cap) {
    this.cap = cap;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final ArrayDeque<Row> out = new ArrayDeque<>();
      private final List<String> members = new ArrayList<>();
      private Row key;
      private boolean capped;

      @Override
      public boolean hasNext() {
        while (out.isEmpty() && (rows.hasNext() || key != null)) {
          if (!rows.hasNext()) {
            closeBucket();
            key = null;
            break;
          }
          Row r = rows.next();
          if (key == null || !sameBucket(key, r)) {
            if (key != null) {
              closeBucket();
            }
            key = r;
            members.clear();
            capped = false;
          }
          add(r.getString(3));
        }
        return !out.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.poll();
      }

      private void add(String id) {
        if (capped) {
          out.add(RowFactory.create(members.get(0), id));
          return;
        }
        members.add(id);
        if (members.size() > cap) {
          capped = true;
          String head = members.get(0);
          out.add(RowFactory.create(head, null));
          for (int i = 1; i < members.size(); i++) {
            out.add(RowFactory.create(head, members.get(i)));
          }
          members.subList(1, members.size()).clear();
        }
      }

      private void closeBucket() {
        if (capped) {
          return;
        }
        for (int i = 0; i < members.size(); i++) {
          for (int j = i + 1; j < members.size(); j++) {
            out.add(RowFactory.create(members.get(i), members.get(j)));
          }
        }
      }
    };
  }

  private static boolean sameBucket(Row x, Row y) {
    return x.getLong(2) == y.getLong(2)
        && x.getInt(1) == y.getInt(1)
        && Objects.equals(x.getString(0), y.getString(0));
  }
}
