package io.sluice.core.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link Storage} on the local file system. Writes go to a hidden sibling and are moved in place on
 * close.
 */
final class LocalStorage implements Storage {

  @Override
  public InputStream open(String path) throws IOException {
    try {
      return Files.newInputStream(Path.of(path));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("no such file: " + path);
    }
  }

  @Override
  public OutputStream create(String path) throws IOException {
    Path target = Path.of(path).toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      // temporary files are created owner-only; what we publish is an ordinary file
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    return new PublishOnClose(tmp, finished -> moveAtomically(finished, target));
  }

  static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public List<StorageEntry> list(String prefix) throws IOException {
    Path root = Path.of(prefix);
    if (!Files.exists(root)) {
      throw new FileNotFoundException("no such file or directory: " + prefix);
    }
    List<StorageEntry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        entries.add(new StorageEntry(p.toString(), Files.size(p)));
      }
    }
    entries.sort(Comparator.comparing(StorageEntry::path));
    return entries;
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(Path.of(path));
  }

  @Override
  public void delete(String path) throws IOException {
    Path root = Path.of(path);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {}
}
