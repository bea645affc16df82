package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetDocumentReaderTest {

  @TempDir Path dir;

  private org.apache.hadoop.fs.Path write(String name, String schema, List<String[]> rows)
      throws IOException {
    MessageType type = MessageTypeParser.parseMessageType(schema);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(path).withType(type).withConf(new Configuration()).build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(type);
      for (String[] r : rows) {
        Group g = f.newGroup();
        for (int i = 0; i < r.length; i += 2) {
          if (r[i + 1] != null) {
            g.append(r[i], r[i + 1]);
          }
        }
        w.write(g);
      }
    }
    return path;
  }

  @Test
  void readsDocumentsAndKeepsOtherColumnsInMeta() throws IOException {
    org.apache.hadoop.fs.Path p =
        write(
            "good.parquet",
            "message doc { required binary id (STRING); optional binary text (STRING); optional"
                + " binary topic (STRING); }",
            List.of(
                new String[] {"id", "1", "text", "hello", "topic", "greeting"},
                new String[] {"id", "2", "text", null, "topic", "x"}));
    CollectingSink sink = new CollectingSink();
    new ParquetDocumentReader("pq").read(p, new Configuration(), "good.parquet", sink);
    assertEquals(1, sink.documents.size());
    assertEquals("1", sink.documents.get(0).id());
    assertEquals("greeting", sink.documents.get(0).meta().get("topic"));
    assertEquals(List.of("missing_field"), sink.reasons());
  }

  @Test
  void wrongSchemaQuarantinesTheFileNamingItsColumns() throws IOException {
    org.apache.hadoop.fs.Path p =
        write(
            "bad.parquet",
            "message doc { required binary body (STRING); required int32 n; }",
            List.<String[]>of(new String[] {"body", "x"}));
    CollectingSink sink = new CollectingSink();
    new ParquetDocumentReader("pq").read(p, new Configuration(), "bad.parquet", sink);
    assertEquals(0, sink.documents.size());
    assertEquals(List.of("bad_schema"), sink.reasons());
    String detail = sink.quarantined.get(0).detail();
    assertTrue(
        detail.contains("'text' or 'html'")
            && detail.contains("body:binary")
            && detail.contains("n:int32"),
        detail);
  }
}
