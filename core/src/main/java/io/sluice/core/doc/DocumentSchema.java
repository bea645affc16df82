package io.sluice.core.doc;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark/Parquet schemas of {@link Document} and {@link Quarantined}, and the conversions to and
 * from Spark rows. Column names are the snake_case names of DESIGN.md §2.
 */
public final class DocumentSchema {

  public static final String ID = "id";
  public static final String TEXT = "text";
  public static final String KIND = "kind";
  public static final String LANG = "lang";
  public static final String LANG_SCORE = "lang_score";
  public static final String SOURCE = "source";
  public static final String URL = "url";
  public static final String PATH = "path";
  public static final String LICENSE = "license";
  public static final String CRAWL_DATE = "crawl_date";
  public static final String META = "meta";

  /** The document table. */
  public static final StructType DOCUMENT =
      new StructType(
          new StructField[] {
            field(ID, DataTypes.StringType, false),
            field(TEXT, DataTypes.StringType, false),
            field(KIND, DataTypes.StringType, true),
            field(LANG, DataTypes.StringType, true),
            field(LANG_SCORE, DataTypes.FloatType, true),
            field(SOURCE, DataTypes.StringType, true),
            field(URL, DataTypes.StringType, true),
            field(PATH, DataTypes.StringType, true),
            field(LICENSE, DataTypes.StringType, true),
            field(CRAWL_DATE, DataTypes.TimestampType, true),
            field(META, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
          });

  /** The quarantine table every stage writes to {@code _quarantine}. */
  public static final StructType QUARANTINE =
      new StructType(
          new StructField[] {
            field("source_file", DataTypes.StringType, false),
            field("offset", DataTypes.LongType, false),
            field("record_index", DataTypes.LongType, false),
            field("reason", DataTypes.StringType, false),
            field("detail", DataTypes.StringType, true),
            field("sample", DataTypes.StringType, true)
          });

  private DocumentSchema() {}

  /** A row of {@link #DOCUMENT} that carries its schema, so it can be read back by column name. */
  public static Row toRow(Document d) {
    return new GenericRowWithSchema(
        new Object[] {
          d.id(),
          d.text(),
          d.kind(),
          d.lang(),
          d.langScore(),
          d.source(),
          d.url(),
          d.path(),
          d.license(),
          d.crawlDate() == null ? null : Timestamp.from(d.crawlDate()),
          CollectionConverters.asScala(d.meta())
        },
        DOCUMENT);
  }

  public static Row toRow(Quarantined q) {
    return new GenericRowWithSchema(
        new Object[] {
          q.sourceFile(), q.offset(), q.recordIndex(), q.reason(), q.detail(), q.sample()
        },
        QUARANTINE);
  }

  /**
   * Reads a row of {@link #DOCUMENT} (by column name, so extra columns of later stages are
   * ignored).
   */
  public static Document fromRow(Row row) {
    Timestamp crawl = row.getAs(CRAWL_DATE);
    scala.collection.Map<String, String> meta = row.getAs(META);
    return new Document(
        row.getAs(ID),
        row.getAs(TEXT),
        row.getAs(KIND),
        row.getAs(LANG),
        row.getAs(LANG_SCORE),
        row.getAs(SOURCE),
        row.getAs(URL),
        row.getAs(PATH),
        row.getAs(LICENSE),
        crawl == null ? null : crawl.toInstant(),
        meta == null ? null : CollectionConverters.asJava(meta));
  }

  /** The names of the columns of {@code schema}, in order. */
  public static List<String> columnNames(StructType schema) {
    List<String> names = new ArrayList<>();
    for (StructField f : schema.fields()) {
      names.add(f.name());
    }
    return names;
  }

  private static StructField field(
      String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }
}
