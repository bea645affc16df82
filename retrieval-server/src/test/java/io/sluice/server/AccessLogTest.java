package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every logged request reaches the sink once, each thread's in order, by close at the latest. */
class AccessLogTest {

  @Test
  void linesFromConcurrentRequestsAllArriveInOrderPerThread() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    int threads = 4;
    int each = 25_000;
    AccessLog log = new AccessLog(lines::add);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  log.log("POST", "/t" + id + "/" + i, 200, 1_250_000);
                }
              });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) {
      th.join();
    }
    log.close();
    assertEquals(threads * each, lines.size());
    assertTrue(lines.contains("POST /t0/0 200 1.3ms"), lines.get(0));
    Map<String, Integer> next = new HashMap<>();
    for (String l : lines) {
      String[] path = l.split(" ")[1].split("/");
      int i = Integer.parseInt(path[2]);
      assertEquals(next.getOrDefault(path[1], 0), i, "out of order: " + l);
      next.put(path[1], i + 1);
    }
    assertTrue(next.values().stream().allMatch(n -> n == each), next.toString());
  }
}
