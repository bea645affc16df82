package io.sluice.ingest.read;

import io.sluice.core.doc.Document;
import io.sluice.core.doc.Quarantined;
import io.sluice.ingest.code.CodeLanguages;
import io.sluice.ingest.normalize.Utf8;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Reads source code: one file of a directory tree, or every file of a tar/zip archive (streamed,
 * never unpacked to disk). The programming language comes from {@link CodeLanguages}; binary files
 * (a NUL byte in the first 8 KiB) and files of no known language are counted as skipped.
 */
final class CodeReader {

  private static final int HEAD_CHARS = 16384;

  private final ReadLimits limits;
  private final String defaultSource;

  CodeReader(ReadLimits limits, String defaultSource) {
    this.limits = limits;
    this.defaultSource = defaultSource;
  }

  /** One source file; {@code relativePath} is its path inside the tree that was given as input. */
  void readFile(InputStream in, String file, String relativePath, RecordSink sink)
      throws IOException {
    readEntry(in, file, relativePath, 0, sink);
  }

  void readArchive(InputStream raw, String file, RecordSink sink) throws IOException {
    String lower = file.toLowerCase(Locale.ROOT);
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    try (ArchiveInputStream<? extends ArchiveEntry> archive =
        lower.endsWith(".zip")
            ? new ZipArchiveInputStream(in)
            : new TarArchiveInputStream(
                lower.endsWith(".gz") || lower.endsWith(".tgz")
                    ? new GZIPInputStream(in, 1 << 16)
                    : in)) {
      ArchiveEntry entry;
      long index = 0;
      while ((entry = archive.getNextEntry()) != null) {
        if (entry.isDirectory() || !archive.canReadEntryData(entry)) {
          continue;
        }
        readEntry(archive, file, entry.getName(), index++, sink);
      }
    }
  }

  private void readEntry(
      InputStream in, String file, String relativePath, long index, RecordSink sink)
      throws IOException {
    byte[] bytes = in.readNBytes((int) limits.maxRecordBytes() + 1);
    if (bytes.length > limits.maxRecordBytes()) {
      sink.quarantine(
          new Quarantined(
              file,
              -1,
              index,
              "too_large",
              relativePath + " exceeds the limit of " + limits.maxRecordBytes() + " bytes",
              Utf8.decode(bytes, 0, Quarantined.SAMPLE_CHARS).text()));
      return;
    }
    for (int i = 0, n = Math.min(bytes.length, 8192); i < n; i++) {
      if (bytes[i] == 0) {
        sink.skipped("code_binary");
        return;
      }
    }
    Utf8.Decoded text = Utf8.decode(bytes, 0, bytes.length);
    String head = text.text().substring(0, Math.min(HEAD_CHARS, text.text().length()));
    Optional<String> lang = CodeLanguages.detect(relativePath, head);
    if (lang.isEmpty()) {
      sink.skipped("code_unknown_language");
      return;
    }
    Map<String, String> meta = new LinkedHashMap<>();
    if (text.replaced() > 0) {
      meta.put("utf8_repaired", Integer.toString(text.replaced()));
    }
    meta.put("code_lang", lang.get());
    sink.document(
        new RawDocument(
            file,
            -1,
            index,
            null,
            Document.KIND_CODE,
            defaultSource,
            null,
            relativePath,
            lang.get(),
            null,
            null,
            meta,
            new RawDocument.Text(text.text())));
  }
}
