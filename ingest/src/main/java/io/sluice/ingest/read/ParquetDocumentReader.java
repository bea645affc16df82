package io.sluice.ingest.read;

import io.sluice.core.doc.Document;
import io.sluice.core.doc.Quarantined;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads documents from a Parquet file with parquet-mr. The file needs a top-level string column
 * {@code text} or {@code html}; {@code id}, {@code kind}, {@code url}, {@code path}, {@code lang},
 * {@code source} and {@code license} are used when present, other top-level primitive columns go to
 * {@code meta}. A file without a usable text column is quarantined whole with reason {@code
 * bad_schema}, naming the columns it has.
 */
final class ParquetDocumentReader {

  private final String defaultSource;

  ParquetDocumentReader(String defaultSource) {
    this.defaultSource = defaultSource;
  }

  void read(Path path, Configuration conf, String file, RecordSink sink) throws IOException {
    MessageType schema;
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      schema = footer.getFooter().getFileMetaData().getSchema();
    }
    String textColumn =
        isString(schema, "text") ? "text" : isString(schema, "html") ? "html" : null;
    if (textColumn == null) {
      sink.quarantine(
          new Quarantined(
              file,
              -1,
              -1,
              "bad_schema",
              "Parquet file has no top-level string column 'text' or 'html'; its columns are "
                  + schema.getFields().stream().map(f -> f.getName() + ":" + typeName(f)).toList(),
              ""));
      return;
    }
    long index = -1;
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
      Group g;
      while ((g = reader.read()) != null) {
        index++;
        String content = string(g, textColumn);
        if (content == null) {
          sink.quarantine(
              new Quarantined(
                  file,
                  -1,
                  index,
                  "missing_field",
                  "row " + index + " has a null '" + textColumn + "'",
                  ""));
          continue;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        for (Type f : schema.getFields()) {
          String name = f.getName();
          if (f.isPrimitive() && !isUsed(name) && g.getFieldRepetitionCount(name) > 0) {
            meta.put(name, g.getValueToString(schema.getFieldIndex(name), 0));
          }
        }
        String kind = string(g, "kind");
        sink.document(
            new RawDocument(
                file,
                -1,
                index,
                string(g, "id"),
                kind == null ? Document.KIND_WEB : kind,
                string(g, "source") == null ? defaultSource : string(g, "source"),
                string(g, "url"),
                string(g, "path"),
                string(g, "lang"),
                string(g, "license"),
                null,
                meta,
                textColumn.equals("text")
                    ? new RawDocument.Text(content)
                    : new RawDocument.Html(content)));
      }
    }
  }

  private static boolean isUsed(String name) {
    return switch (name) {
      case "text", "html", "id", "kind", "url", "path", "lang", "source", "license" -> true;
      default -> false;
    };
  }

  private static boolean isString(MessageType schema, String name) {
    if (!schema.containsField(name)) {
      return false;
    }
    Type t = schema.getType(name);
    return t.isPrimitive()
        && !t.isRepetition(Type.Repetition.REPEATED)
        && t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY;
  }

  private static String typeName(Type t) {
    return t.isPrimitive()
        ? t.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase()
        : "group";
  }

  private static String string(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    Type t = g.getType().getType(field);
    if (!t.isPrimitive()) {
      return null;
    }
    return t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
        ? g.getString(field, 0)
        : g.getValueToString(g.getType().getFieldIndex(field), 0);
  }
}
