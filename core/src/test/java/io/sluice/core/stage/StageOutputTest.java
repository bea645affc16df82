package io.sluice.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    Path tmp = Path.of(java.net.URI.create(out.begin(false, List.of())));
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
    first.begin(false, List.of());
    first.commit("{}");

    StageOutput again = new StageOutput(dir.toString(), new Configuration());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> again.begin(false, List.of()));
    assertTrue(e.getMessage().contains("already committed"), e.getMessage());

    Path tmp = Path.of(java.net.URI.create(again.begin(true, List.of())));
    assertTrue(first.isCommitted(), "a forced run keeps the old output until it commits");
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("half-written"), "x");
    again.abort();
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(
          List.of(dir), left.toList(), "a failed forced run leaves the old output, nothing else");
    }
    assertTrue(first.isCommitted());
  }

  @Test
  void forcedCommitReplacesTheOldOutputWhole() throws IOException {
    Path dir = parent.resolve("documents");
    StageOutput first = new StageOutput(dir.toString(), new Configuration());
    Path tmp = Path.of(java.net.URI.create(first.begin(false, List.of())));
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("part-old"), "old");
    first.commit("{}");

    StageOutput again = new StageOutput(dir.toString(), new Configuration());
    tmp = Path.of(java.net.URI.create(again.begin(true, List.of())));
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("part-new"), "new");
    again.commit("{}");
    assertTrue(again.isCommitted());
    assertEquals("new", Files.readString(dir.resolve("part-new")));
    assertFalse(Files.exists(dir.resolve("part-old")), "nothing of the old output survives");
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(dir), left.toList(), "no hidden leftovers");
    }
  }

  @Test
  void oldOutputMovedAsideByARunThatDiedIsPutBack() throws IOException {
    Path dir = parent.resolve("documents");
    Path aside = parent.resolve(".documents.old-crashed");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve(StageOutput.SUCCESS), "");
    Files.writeString(aside.resolve("part-0"), "data");
    StageOutput out = new StageOutput(dir.toString(), new Configuration());
    assertThrows(IllegalStateException.class, () -> out.begin(false, List.of()));
    assertTrue(out.isCommitted(), "the committed output is back under its name");
    assertEquals("data", Files.readString(dir.resolve("part-0")));
    assertFalse(Files.exists(aside));
  }

  @Test
  void aHalfMovedNewOutputGivesWayToTheCommittedOneMovedAside() throws IOException {
    Path dir = parent.resolve("documents");
    Path aside = parent.resolve(".documents.old-crashed");
    Files.createDirectories(aside);
    Files.writeString(aside.resolve(StageOutput.SUCCESS), "");
    Files.writeString(aside.resolve("part-0"), "good");
    Files.createDirectories(dir); // the new output, moved in part, never marked committed
    Files.writeString(dir.resolve("part-9"), "half");
    StageOutput out = new StageOutput(dir.toString(), new Configuration());
    assertThrows(IllegalStateException.class, () -> out.begin(false, List.of()));
    assertTrue(out.isCommitted());
    assertEquals("good", Files.readString(dir.resolve("part-0")));
    assertFalse(Files.exists(dir.resolve("part-9")));
    assertFalse(Files.exists(aside));
  }

  @Test
  void inputInsideTheOutputIsRefusedBeforeAnythingIsTouched() throws IOException {
    Path dir = parent.resolve("out");
    StageOutput first = new StageOutput(dir.toString(), new Configuration());
    first.begin(false, List.of());
    first.commit("{}");
    Path input = dir.resolve("raw/pages.jsonl");
    Files.createDirectories(input.getParent());
    Files.writeString(input, "{}");
    for (String in : List.of(input.toString(), dir.toString(), "file:" + input)) {
      StageOutput out = new StageOutput(dir.toString(), new Configuration());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> out.begin(true, List.of(in)));
      assertTrue(e.getMessage().contains("lies inside the output"), e.getMessage());
    }
    assertTrue(Files.exists(input));
    StageOutput sibling = new StageOutput(parent.resolve("out2").toString(), new Configuration());
    sibling.begin(false, List.of(dir.toString())); // a prefix of the name is not inside
  }

  @Test
  void staleTemporariesOfCrashedRunsAreRemoved() throws IOException {
    Path stale = parent.resolve(".documents.tmp-crashed");
    Files.createDirectories(stale);
    new StageOutput(parent.resolve("documents").toString(), new Configuration()).begin(false, List.of());
    assertFalse(Files.exists(stale));
  }

  @Test
  void directoryThatIsNotAStageIsLeftAloneEvenWithForce() throws IOException {
    Path dir = parent.resolve("mine");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("precious.txt"), "keep");
    for (boolean force : new boolean[] {false, true}) {
      StageOutput out = new StageOutput(dir.toString(), new Configuration());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> out.begin(force, List.of()));
      assertTrue(e.getMessage().contains("not a Sluice stage"), e.getMessage());
    }
    assertTrue(Files.exists(dir.resolve("precious.txt")));
    Path empty = parent.resolve("empty");
    Files.createDirectories(empty);
    StageOutput out = new StageOutput(empty.toString(), new Configuration());
    out.begin(false, List.of()); // an empty directory is as good as none
    out.commit("{}");
    assertTrue(out.isCommitted());
  }

  @Test
  void pendingMultipartUploadsOfARunThatDiedAreAbortedOnS3() throws Exception {
    try (io.sluice.core.storage.S3ProxyServer server = io.sluice.core.storage.S3ProxyServer.start();
        io.sluice.core.storage.S3Storage storage =
            new io.sluice.core.storage.S3Storage(server.config())) {
      server.createBucket(storage.client(), "corpus");
      // what a writer that died mid-file leaves: an open upload under the run's temporary prefix
      storage
          .client()
          .createMultipartUpload(
              b -> b.bucket("corpus").key("runs/.documents.tmp-dead/kind=web/part-0.parquet"));
      storage
          .client()
          .createMultipartUpload(b -> b.bucket("corpus").key("runs/other/part-0.parquet"));
      Configuration conf = new Configuration();
      server.config().hadoopS3aOptions().forEach(conf::set);
      StageOutput out = new StageOutput("s3://corpus/runs/documents", conf);
      out.begin(false, List.of());
      List<String> left =
          storage.client().listMultipartUploads(b -> b.bucket("corpus")).uploads().stream()
              .map(u -> u.key())
              .toList();
      assertEquals(List.of("runs/other/part-0.parquet"), left, "only this output's are aborted");
    }
  }
}
