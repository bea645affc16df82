package io.sluice.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageTest {

  @TempDir Path dir;

  @Test
  void fileAppearsOnlyWhenClosed() throws IOException {
    Storage s = Storage.forPath(dir.toString(), StorageConfig.defaults());
    Path target = dir.resolve("a/b.txt");
    try (OutputStream out = s.create(target.toString())) {
      out.write(new byte[] {1, 2, 3});
      assertFalse(Files.exists(target));
    }
    assertTrue(Files.exists(target));
    assertEquals(List.of(new StorageEntry(target.toString(), 3)), s.list(dir.toString()));
    s.delete(dir.resolve("a").toString());
    assertFalse(Files.exists(target));
    assertThrows(FileNotFoundException.class, () -> s.open(target.toString()));
  }
}
