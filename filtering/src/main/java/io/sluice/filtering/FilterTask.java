package io.sluice.filtering;

import io.sluice.filtering.rules.RuleSet;
import io.sluice.filtering.score.QualityModel;
import io.sluice.filtering.signals.Signals;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What one Spark task of the filter stage does to each document: compute its signals (web or code),
 * the rules it fails, and its learned score, and append them to the row.
 */
final class FilterTask implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final RuleSet rules;
  private final Broadcast<QualityModel> model;
  private final int textIndex;
  private final int kindIndex;
  private final int langIndex;

  FilterTask(
      RuleSet rules, Broadcast<QualityModel> model, int textIndex, int kindIndex, int langIndex) {
    this.rules = rules;
    this.model = model;
    this.textIndex = textIndex;
    this.kindIndex = kindIndex;
    this.langIndex = langIndex;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    QualityModel m = model.value();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row in = rows.next();
        String text = in.getString(textIndex);
        String kind = in.isNullAt(kindIndex) ? "web" : in.getString(kindIndex);
        String lang = in.isNullAt(langIndex) ? null : in.getString(langIndex);
        double[] v = Signals.of(text, kind, lang);
        List<String> failed = rules.failures(kind, lang, v);
        Object[] quality = new Object[v.length + 1];
        for (int i = 0; i < v.length; i++) {
          quality[i] = Double.isNaN(v[i]) ? null : v[i];
        }
        quality[v.length] = CollectionConverters.asScala(failed).toSeq();
        Object[] out = new Object[in.length() + 2];
        for (int i = 0; i < in.length(); i++) {
          out[i] = in.get(i);
        }
        out[in.length()] = RowFactory.create(quality);
        out[in.length() + 1] = m.score(v, text);
        return RowFactory.create(out);
      }
    };
  }
}
