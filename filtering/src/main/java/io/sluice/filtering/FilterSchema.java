package io.sluice.filtering;

import io.sluice.core.doc.DocumentSchema;
import io.sluice.filtering.signals.Signal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns filtering adds to documents (DESIGN.md §2): {@code quality}, {@code quality_score},
 * {@code quality_bucket}.
 */
public final class FilterSchema {

  public static final String QUALITY = "quality";
  public static final String FAILED_RULES = "failed_rules";
  public static final String SCORE = "quality_score";
  public static final String BUCKET = "quality_bucket";

  /** Every signal as a nullable double, then the names of the rules the document fails. */
  public static final StructType QUALITY_STRUCT;

  static {
    List<StructField> fields = new ArrayList<>();
    for (Signal s : Signal.values()) {
      fields.add(DataTypes.createStructField(s.column(), DataTypes.DoubleType, true));
    }
    fields.add(
        DataTypes.createStructField(
            FAILED_RULES, DataTypes.createArrayType(DataTypes.StringType, false), false));
    QUALITY_STRUCT = DataTypes.createStructType(fields);
  }

  private FilterSchema() {}

  /** {@code documents} plus {@code quality} and {@code quality_score}. */
  static StructType scored(StructType documents) {
    // id and text are not null (DESIGN.md §2; the job reads only rows that have both), which
    // Spark's Parquet reader does not carry over from the files it read.
    StructType fields = new StructType();
    for (StructField f : documents.fields()) {
      boolean required = f.name().equals(DocumentSchema.ID) || f.name().equals(DocumentSchema.TEXT);
      fields = fields.add(f.name(), f.dataType(), f.nullable() && !required, f.metadata());
    }
    return fields
        .add(DataTypes.createStructField(QUALITY, QUALITY_STRUCT, false))
        .add(DataTypes.createStructField(SCORE, DataTypes.DoubleType, false));
  }
}
