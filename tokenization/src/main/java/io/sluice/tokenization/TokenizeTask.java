package io.sluice.tokenization;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Tokenizes {@code (id, text, lang, kind, quality_bucket)} rows into {@code (id, lang, kind,
 * quality_bucket, text_bytes, tokens)}.
 */
final class TokenizeTask implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final String tokenizer;

  TokenizeTask(String tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Tokenizer tok = Tokenizers.byNameOrPath(tokenizer); // loaded once per JVM
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        String text = r.isNullAt(1) ? "" : r.getString(1);
        int[] ids = tok.encode(text);
        Integer[] boxed = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
          boxed[i] = ids[i];
        }
        return RowFactory.create(
            r.getString(0),
            r.get(2),
            r.get(3),
            r.get(4),
            (long) text.getBytes(StandardCharsets.UTF_8).length,
            boxed);
      }
    };
  }
}
