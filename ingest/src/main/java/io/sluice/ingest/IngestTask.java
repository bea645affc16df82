package io.sluice.ingest;

import io.sluice.core.doc.DocumentSchema;
import io.sluice.core.doc.Quarantined;
import io.sluice.core.spark.CountsAccumulator;
import io.sluice.ingest.extract.HtmlExtractor;
import io.sluice.ingest.langid.LanguageIdentifier;
import io.sluice.ingest.read.InputFile;
import io.sluice.ingest.read.InputFileReader;
import io.sluice.ingest.read.RawDocument;
import io.sluice.ingest.read.RecordSink;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * What one Spark task of ingest does: read its input files and emit one row per document or
 * quarantined record, in the {@link IngestJob#OUTCOME} schema (document columns plus a {@code
 * _quarantine} struct, null for documents).
 */
final class IngestTask implements FlatMapFunction<Iterator<InputFile>, Row> {

  private static final long serialVersionUID = 1L;

  private final InputFileReader reader;
  private final Map<String, String> hadoopOptions;
  private final LongAccumulator filesDone;
  private final LongAccumulator rows;
  private final LongAccumulator bytesDone;
  private final CountsAccumulator skipped;

  IngestTask(
      InputFileReader reader,
      Map<String, String> hadoopOptions,
      LongAccumulator filesDone,
      LongAccumulator rows,
      LongAccumulator bytesDone,
      CountsAccumulator skipped) {
    this.reader = reader;
    this.hadoopOptions = Map.copyOf(hadoopOptions);
    this.filesDone = filesDone;
    this.rows = rows;
    this.bytesDone = bytesDone;
    this.skipped = skipped;
  }

  @Override
  public Iterator<Row> call(Iterator<InputFile> files) {
    Configuration conf = new Configuration();
    hadoopOptions.forEach(conf::set);
    DocumentBuilder builder = new DocumentBuilder(new HtmlExtractor(), LanguageIdentifier.shared());
    return new ProducerIterator<Row>(
        "sluice-ingest-reader",
        256,
        out -> {
          while (files.hasNext()) {
            InputFile file = files.next();
            reader.read(file, conf, sink(builder, out));
            filesDone.add(1);
            bytesDone.add(file.bytes());
          }
        });
  }

  private RecordSink sink(DocumentBuilder builder, Consumer<Row> out) {
    return new RecordSink() {
      @Override
      public void document(RawDocument doc) {
        DocumentBuilder.Outcome o = builder.build(doc);
        if (o.document() != null) {
          Row d = DocumentSchema.toRow(o.document());
          Object[] cells = new Object[d.length() + 1];
          for (int i = 0; i < d.length(); i++) {
            cells[i] = d.get(i);
          }
          out.accept(RowFactory.create(cells));
          rows.add(1);
        } else {
          quarantine(o.quarantined());
        }
      }

      @Override
      public void quarantine(Quarantined q) {
        Object[] cells = new Object[DocumentSchema.DOCUMENT.length() + 1];
        cells[cells.length - 1] = DocumentSchema.toRow(q);
        out.accept(RowFactory.create(cells));
        rows.add(1);
      }

      @Override
      public void skipped(String what) {
        skipped.add(what);
      }
    };
  }
}
