package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.doc.DocumentJson;
import io.sluice.core.storage.Compression;
import io.sluice.core.storage.Storage;
import io.sluice.core.storage.StorageConfig;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Maps a JSON Lines file to another, line by line and in order, on several threads: the machinery
 * of {@code sluice extract} and {@code sluice langid}. Input and output may be local or {@code
 * s3://}; the output appears atomically. A line that is not a JSON object yields an output line
 * {@code {"error": ...}} at the same position, so lines stay aligned, and is counted.
 */
final class JsonlLineMapper {

  /** Counts of a run. */
  record Result(long lines, long errors) {}

  private static final int BATCH = 256;

  private static final ObjectMapper JSON = DocumentJson.mapper();

  private final StorageConfig storage;
  private final int threads;

  JsonlLineMapper(StorageConfig storage, int threads) {
    this.storage = storage;
    this.threads = Math.max(1, threads);
  }

  Result map(String input, String output, UnaryOperator<ObjectNode> fn) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sluice-jsonl-" + COUNTER.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long lines = 0;
    long errors = 0;
    try (Storage in = Storage.forPath(input, storage);
        Storage out = Storage.forPath(output, storage);
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    Compression.decompress(in.open(input), input),
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)),
                1 << 16);
        OutputStream os = out.create(output);
        Writer writer =
            new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
      List<String> batch = new ArrayList<>(BATCH);
      String line;
      while (true) {
        line = reader.readLine();
        if (line != null) {
          batch.add(line);
        }
        if (batch.size() == BATCH || (line == null && !batch.isEmpty())) {
          List<Future<String>> results = new ArrayList<>(batch.size());
          long base = lines;
          for (int i = 0; i < batch.size(); i++) {
            String l = batch.get(i);
            long number = base + i + 1;
            results.add(pool.submit(() -> apply(l, number, input, fn)));
          }
          for (Future<String> f : results) {
            String r = f.get();
            if (r.startsWith("{\"error\"")) {
              errors++;
            }
            writer.write(r);
            writer.write('\n');
          }
          lines += batch.size();
          batch.clear();
        }
        if (line == null) {
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(lines, errors);
  }

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static String apply(String line, long number, String file, UnaryOperator<ObjectNode> fn)
      throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.isObject()) {
      ObjectNode err = JSON.createObjectNode();
      err.put("error", "line " + number + " of " + file + " is not a JSON object");
      return JSON.writeValueAsString(err);
    }
    return JSON.writeValueAsString(fn.apply((ObjectNode) node));
  }
}
