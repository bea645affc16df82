package io.sluice.ingest.read;

import io.sluice.core.stage.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the input files of a run, once, on the driver: each given path is a file or a directory
 * walked recursively (hidden {@code .x} and {@code _x} entries skipped). Files whose format cannot
 * be told are returned separately so the run can report them.
 */
public final class InputLister {

  /** The listing: files to read, and files that were found but are of no supported format. */
  public record Listing(List<InputFile> files, List<String> unsupported) {
    public long totalBytes() {
      return files.stream().mapToLong(InputFile::bytes).sum();
    }

    /** Distinct files (a file cut into ranges counts once). */
    public long fileCount() {
      return files.stream().map(InputFile::path).distinct().count();
    }
  }

  private InputLister() {}

  /**
   * @param forced a format to use for every file (e.g. {@link InputFormat#CODE_FILE} for a source
   *     tree), or null to tell each file's format by its name
   * @param source corpus name for all files, or null to name each after its file (or tree)
   * @throws FileNotFoundException naming the first input path that does not exist
   */
  public static Listing list(
      List<String> inputs, InputFormat forced, String source, Configuration conf)
      throws IOException {
    return list(inputs, forced, source, conf, Long.MAX_VALUE);
  }

  /**
   * As {@link #list(List, InputFormat, String, Configuration)}, cutting uncompressed JSONL files
   * larger than {@code splitBytes} into byte ranges so that one big file does not bound a job's
   * parallelism (compressed files cannot be cut).
   */
  public static Listing list(
      List<String> inputs, InputFormat forced, String source, Configuration conf, long splitBytes)
      throws IOException {
    List<InputFile> files = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    for (String input : inputs) {
      Path root = HadoopPaths.of(input);
      FileSystem fs = root.getFileSystem(conf);
      if (!fs.exists(root)) {
        throw new FileNotFoundException("input does not exist: " + input);
      }
      boolean isDir = fs.getFileStatus(root).isDirectory();
      String rootUri = fs.makeQualified(root).toString();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus st = it.next();
        String uri = st.getPath().toString();
        String rel =
            isDir && uri.startsWith(rootUri)
                ? uri.substring(rootUri.length())
                : st.getPath().getName();
        if (isHidden(rel)) {
          continue;
        }
        Optional<InputFormat> format =
            forced != null
                ? Optional.of(
                    forced == InputFormat.CODE_FILE && isArchive(uri)
                        ? InputFormat.CODE_ARCHIVE
                        : forced)
                : InputFormat.fromName(uri);
        String display = isDir ? join(input, rel) : input;
        if (format.isEmpty()) {
          unsupported.add(display);
          continue;
        }
        String name =
            source != null
                ? source
                : sourceName(
                    isDir && format.get() == InputFormat.CODE_FILE
                        ? root.getName()
                        : st.getPath().getName());
        InputFile whole = new InputFile(uri, display, isDir ? rootUri : null, st.getLen(), format.get(), name);
        files.addAll(split(whole, splitBytes));
      }
    }
    files.sort(java.util.Comparator.comparing(InputFile::path));
    return new Listing(List.copyOf(files), List.copyOf(unsupported));
  }

  /** The byte ranges of a splittable file (plain JSONL larger than {@code splitBytes}), or the file itself. */
  static List<InputFile> split(InputFile f, long splitBytes) {
    String name = f.path().toLowerCase(java.util.Locale.ROOT);
    boolean splittable = f.format() == InputFormat.JSONL && !name.endsWith(".gz") && !name.endsWith(".zst");
    if (!splittable || f.size() <= splitBytes) {
      return List.of(f);
    }
    List<InputFile> parts = new ArrayList<>();
    for (long s = 0; s < f.size(); s += splitBytes) {
      long e = Math.min(f.size(), s + splitBytes);
      parts.add(new InputFile(f.path(), f.displayPath(), f.root(), f.size(), f.format(), f.source(), s, e));
    }
    return parts;
  }

  private static boolean isArchive(String uri) {
    return InputFormat.fromName(uri).filter(f -> f == InputFormat.CODE_ARCHIVE).isPresent();
  }

  private static boolean isHidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static String join(String dir, String rel) {
    if (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    return dir.endsWith("/") ? dir + rel : dir + "/" + rel;
  }

  /**
   * A corpus name from a file or directory name: lowercase, without compression and format
   * extensions.
   */
  static String sourceName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    n = n.replaceAll("(\\.(gz|zst|tgz|zip|tar))+$", "");
    n = n.replaceAll("\\.(warc\\.wet|warc|wet|jsonl|ndjson|json|parquet)$", "");
    return n.isEmpty() ? "unnamed" : n;
  }
}
