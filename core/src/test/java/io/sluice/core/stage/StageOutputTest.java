package io.sluice.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageOutputTest {

  @TempDir Path parent;

  @Test
  void commitMovesTemporaryInPlaceAndWritesSuccessLast() throws IOException {
    Path dir = parent.resolve("documents");
    StageOutput out = new StageOutput(dir.toString(), new Configuration());
    assertFalse(out.isCommitted());
    Path tmp = Path.of(java.net.URI.create(out.begin(false)));
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("part-0"), "data");
    assertFalse(Files.exists(dir), "nothing visible under the final name before commit");
    out.commit(
        "{\"documents\": 1, \"elapsed_seconds\": 2.5, \"input_mb_per_second\": 9.0}", "_empty");
    assertTrue(out.isCommitted());
    assertEquals("data", Files.readString(dir.resolve("part-0")));
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        json.readTree("{\"documents\": 1}"),
        json.readTree(dir.resolve(StageOutput.STATS).toFile()),
        "run timings stay out of stats.json, so the same input gives the same file");
    assertEquals(
        json.readTree("{\"elapsed_seconds\": 2.5, \"input_mb_per_second\": 9.0}"),
        json.readTree(dir.resolve(StageOutput.RUN).toFile()));
    assertTrue(
        Files.isDirectory(dir.resolve("_empty")), "a sidecar of zero rows is an empty table");
    assertFalse(Files.exists(tmp));
  }

  @Test
  void committedOutputNeedsForceAndAbortLeavesNothing() throws IOException {
    Path dir = parent.resolve("documents");
    StageOutput first = new StageOutput(dir.toString(), new Configuration());
    first.begin(false);
    first.commit("{}");

    StageOutput again = new StageOutput(dir.toString(), new Configuration());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> again.begin(false));
    assertTrue(e.getMessage().contains("already committed"), e.getMessage());

    Path tmp = Path.of(java.net.URI.create(again.begin(true)));
    assertFalse(Files.exists(dir), "force removes the old output");
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("half-written"), "x");
    again.abort();
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(0, left.count(), "a failed run leaves nothing behind");
    }
  }

  @Test
  void staleTemporariesOfCrashedRunsAreRemoved() throws IOException {
    Path stale = parent.resolve(".documents.tmp-crashed");
    Files.createDirectories(stale);
    new StageOutput(parent.resolve("documents").toString(), new Configuration()).begin(false);
    assertFalse(Files.exists(stale));
  }

  @Test
  void uncommittedExistingDirectoryIsNotOverwrittenWithoutForce() throws IOException {
    Path dir = parent.resolve("mine");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("precious.txt"), "keep");
    StageOutput out = new StageOutput(dir.toString(), new Configuration());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> out.begin(false));
    assertTrue(e.getMessage().contains("not a committed Sluice stage"), e.getMessage());
    assertTrue(Files.exists(dir.resolve("precious.txt")));
  }
}
