package io.sluice.tokenization;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Reads the rows of local Arrow IPC files (a token shard, or a directory of them) as maps from
 * column name to value, in file order: what {@code sluice show} prints for Arrow outputs.
 */
public final class ShardRows {

  private ShardRows() {}

  /** True when {@code path} is an {@code .arrow} file or a directory holding some. */
  public static boolean isArrow(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return path.toString().endsWith(".arrow");
    }
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.anyMatch(p -> p.toString().endsWith(".arrow"));
    }
  }

  /**
   * Calls {@code sink} for each row (at most {@code limit}, 0 for all) until it returns false.
   *
   * @param columns the columns to include, or null for all
   */
  public static void read(
      Path path, List<String> columns, long limit, Predicate<Map<String, Object>> sink)
      throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> p.toString().endsWith(".arrow")).sorted().forEach(files::add);
      }
    } else {
      files.add(path);
    }
    long n = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Path f : files) {
        try (FileChannel ch = FileChannel.open(f);
            ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
          VectorSchemaRoot root = reader.getVectorSchemaRoot();
          if (columns != null) {
            for (String c : columns) {
              if (root.getVector(c) == null) {
                throw new IllegalArgumentException(
                    "no column '"
                        + c
                        + "' in "
                        + f
                        + "; columns are "
                        + root.getSchema().getFields().stream().map(x -> x.getName()).toList());
              }
            }
          }
          while (reader.loadNextBatch()) {
            for (int r = 0; r < root.getRowCount(); r++) {
              Map<String, Object> row = new LinkedHashMap<>();
              for (FieldVector v : root.getFieldVectors()) {
                if (columns == null || columns.contains(v.getName())) {
                  Object o = v.getObject(r);
                  row.put(
                      v.getName(),
                      o instanceof org.apache.arrow.vector.util.Text t ? t.toString() : o);
                }
              }
              if (!sink.test(row) || (limit > 0 && ++n >= limit)) {
                return;
              }
            }
          }
        }
      }
    }
  }
}
