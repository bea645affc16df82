package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice pipeline}: bad configs fail before any work; a killed run resumes exactly. */
class PipelineTest {
  @TempDir Path dir;

  private static Path root() {
    return Path.of(System.getProperty("sluice.project.root", "."));
  }

  private Path config(String name, String body) throws IOException {
    return Files.writeString(dir.resolve(name), body);
  }

  @Test
  void badConfigsFailBeforeAnyWork() throws Exception {
    String sample = root().resolve("demo/sample/code").toString();
    String out = dir.resolve("out").toString();
    String[][] cases = {
      {
        "inputs: [" + sample + "]\noutput: " + out + "\nstages: [ingest, tokenise]\n",
        "unknown stage 'tokenise'"
      },
      {
        "inputs: [" + sample + "]\noutput: " + out + "\ndedupe: {threshold: 0.7}\n",
        "unknown key 'dedupe'"
      },
      {"inputs: [" + dir.resolve("missing") + "]\noutput: " + out + "\n", "does not exist"},
      {"inputs: [" + sample + "]\noutput: /proc/sluice-out\n", "is not writable"},
      {
        "inputs: [" + sample + "]\noutput: " + out + "\nstages: [tokenize]\n",
        "stage tokenize reads " + out + "/deduped, which is neither committed nor made by this run"
      },
      {"inputs: [" + sample + "]\noutput: " + out + "\ntokenize: {tokenizer: gpt9}\n", "gpt9"},
      {"inputs: [" + sample + "]\noutput: " + out + "\nstages: [filter, ingest]\n", "in the order"},
    };
    for (String[] c : cases) {
      CliRun.Result r = CliRun.run("pipeline", "--config", config("p.yaml", c[0]).toString());
      assertEquals(1, r.code(), c[0]);
      assertTrue(r.err().contains(c[1]), c[0] + " -> " + r.err());
      assertFalse(Files.exists(dir.resolve("out/documents")), "no work started");
    }
  }

  @Test
  void aPipelineKilledMidStageResumesToAnIdenticalRelease() throws Exception {
    Path out = dir.resolve("out");
    Path cfg =
        config(
            "p.yaml",
            "inputs: ["
                + root().resolve("demo/sample/code/python-stdlib-sample.jsonl.gz")
                + "]\noutput: "
                + out
                + "\nstages: [ingest, filter, dedup, tokenize, select]\n");
    CliRun.Result whole = CliRun.run("pipeline", "--config", cfg.toString());
    assertEquals(0, whole.code(), whole.err());
    assertStageSchemasAsDesigned(out);
    Map<String, String> reference = publish(out, "whole");
    deleteTree(out);

    // Run in a child JVM and kill it hard as soon as the dedup stage has started writing.
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : jvmFlags()) {
      cmd.add(flag);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SluiceCli.class.getName()));
    cmd.addAll(List.of("pipeline", "--config", cfg.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.log").toFile())
            .start();
    boolean killed = false;
    long deadline = System.currentTimeMillis() + 300_000;
    while (p.isAlive() && System.currentTimeMillis() < deadline) {
      if (dedupStarted(out)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        killed = true;
        break;
      }
      Thread.sleep(50);
    }
    assertTrue(
        killed,
        "the child was killed during dedup: " + Files.readString(dir.resolve("killed.log")));
    assertFalse(Files.exists(out.resolve("deduped/_SUCCESS")), "dedup was not committed");
    assertTrue(Files.exists(out.resolve("scored/_SUCCESS")), "filter was committed");

    CliRun.Result resumed = CliRun.run("pipeline", "--config", cfg.toString());
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(
        resumed.out().matches("(?s).*ingest +skipped.*filter +skipped.*dedup +ran.*"),
        resumed.out());
    assertEquals(reference, publish(out, "resumed"), "same files, same sha256");
  }

  /**
   * DESIGN.md §2 and §3 as written in the files (what pyarrow and other readers see): id and text
   * not null in every documents table, crawl_date as TIMESTAMP(MICROS) rather than INT96, token
   * shards as Arrow IPC files with DESIGN's fields and types, no .crc side files.
   */
  private static void assertStageSchemasAsDesigned(Path out) throws IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (String stage : List.of("documents", "scored", "deduped")) {
      List<Path> parts;
      try (Stream<Path> s = Files.walk(out.resolve(stage))) {
        parts =
            s.filter(p -> p.toString().endsWith(".parquet"))
                .filter(p -> !out.resolve(stage).relativize(p).toString().startsWith("_"))
                .filter(p -> !out.resolve(stage).relativize(p).toString().startsWith("removed"))
                .toList();
      }
      assertFalse(parts.isEmpty(), stage);
      for (Path part : parts) {
        try (org.apache.parquet.hadoop.ParquetFileReader r =
            org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(part.toUri()), conf))) {
          org.apache.parquet.schema.MessageType schema = r.getFileMetaData().getSchema();
          for (String col : List.of("id", "text")) {
            assertEquals(
                org.apache.parquet.schema.Type.Repetition.REQUIRED,
                schema.getType(col).getRepetition(),
                stage + " " + part.getFileName() + ": " + col + " is not null");
          }
          if (schema.containsField("crawl_date")) {
            org.apache.parquet.schema.PrimitiveType t =
                schema.getType("crawl_date").asPrimitiveType();
            assertEquals(
                org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64,
                t.getPrimitiveTypeName(),
                stage + ": crawl_date is not INT96");
            assertTrue(
                String.valueOf(t.getLogicalTypeAnnotation()).contains("MICROS"),
                String.valueOf(t.getLogicalTypeAnnotation()));
          }
        }
      }
    }
    // DESIGN.md §3, as an Arrow reader sees a shard: the file format, these fields and types
    List<Path> shards;
    try (Stream<Path> s = Files.list(out.resolve("tokens"))) {
      shards = s.filter(p -> p.toString().endsWith(".arrow")).toList();
    }
    assertFalse(shards.isEmpty());
    try (org.apache.arrow.memory.BufferAllocator a = new org.apache.arrow.memory.RootAllocator();
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(shards.get(0));
        org.apache.arrow.vector.ipc.ArrowFileReader r =
            new org.apache.arrow.vector.ipc.ArrowFileReader(ch, a)) {
      org.apache.arrow.vector.types.pojo.Schema schema = r.getVectorSchemaRoot().getSchema();
      assertEquals(
          List.of("doc_id", "tokens", "lang", "kind", "quality_bucket"),
          schema.getFields().stream().map(f -> f.getName()).toList());
      assertEquals("Utf8", schema.findField("doc_id").getType().getTypeID().name());
      assertFalse(schema.findField("doc_id").isNullable(), "doc_id is not null");
      org.apache.arrow.vector.types.pojo.Field tokens = schema.findField("tokens");
      assertEquals("List", tokens.getType().getTypeID().name());
      assertEquals(
          new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true),
          tokens.getChildren().get(0).getType(),
          "tokens: list<int32>");
      assertEquals(
          new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true),
          schema.findField("quality_bucket").getType());
      assertTrue(r.loadNextBatch() && r.getVectorSchemaRoot().getRowCount() > 0);
    }
    try (Stream<Path> s = Files.walk(out)) {
      assertEquals(
          List.of(), s.filter(p -> p.toString().endsWith(".crc")).toList(), "no .crc files");
    }
  }

  private static boolean dedupStarted(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return false;
    }
    try (Stream<Path> s = Files.list(out)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(".deduped.tmp"));
    }
  }

  private Map<String, String> publish(Path from, String root) throws IOException {
    CliRun.Result r =
        CliRun.run(
            "release",
            "publish",
            "--from",
            from.toString(),
            "--name",
            "code",
            "--version",
            "v1",
            "--to",
            dir.resolve(root).toString());
    assertEquals(0, r.code(), r.err());
    JsonNode files =
        new ObjectMapper()
            .readTree(dir.resolve(root + "/code/v1/manifest.json").toFile())
            .get("files");
    Map<String, String> sums = new TreeMap<>();
    for (JsonNode f : files) {
      sums.put(f.get("path").asText(), f.get("sha256").asText());
    }
    return sums;
  }

  private static List<String> jvmFlags() throws IOException {
    for (String line : Files.readAllLines(root().resolve("conf/jvm.properties"))) {
      if (line.startsWith("sluice.jvm.flags=")) {
        return List.of(line.substring("sluice.jvm.flags=".length()).trim().split("\\s+"));
      }
    }
    throw new IllegalStateException("conf/jvm.properties has no sluice.jvm.flags");
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
