package io.sluice.ingest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class CodeReaderTest {

  private static final String PY = "#!/usr/bin/env python3\nprint('hi')\n";
  private static final String GO = "package main\n\nfunc main() {}\n";

  @Test
  void readsTarGzArchiveEntriesWithLanguagesAndSkipsBinaries() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(b))) {
      add(tar, "proj/tool", PY.getBytes(StandardCharsets.UTF_8));
      add(tar, "proj/main.go", GO.getBytes(StandardCharsets.UTF_8));
      add(tar, "proj/logo.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0});
      add(tar, "proj/notes.unknownext", "just notes".getBytes(StandardCharsets.UTF_8));
    }
    CollectingSink sink = new CollectingSink();
    new CodeReader(ReadLimits.DEFAULT, "proj")
        .readArchive(new ByteArrayInputStream(b.toByteArray()), "proj.tar.gz", sink);
    assertEquals(
        List.of("python", "go"), sink.documents.stream().map(RawDocument::langHint).toList());
    assertEquals(
        List.of("proj/tool", "proj/main.go"),
        sink.documents.stream().map(RawDocument::path).toList());
    assertEquals(1, sink.skipped.get("code_binary"));
    assertEquals(1, sink.skipped.get("code_unknown_language"));
  }

  @Test
  void readsZipArchives() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(b)) {
      zip.putNextEntry(new ZipEntry("src/Main.java"));
      zip.write("class Main {}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    CollectingSink sink = new CollectingSink();
    new CodeReader(ReadLimits.DEFAULT, "z")
        .readArchive(new ByteArrayInputStream(b.toByteArray()), "x.zip", sink);
    assertEquals("java", sink.documents.get(0).langHint());
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }
}
