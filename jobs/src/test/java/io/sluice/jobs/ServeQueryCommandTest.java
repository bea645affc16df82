package io.sluice.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.server.SearchServer;
import io.sluice.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} and {@code sluice query} wiring, without building an index (the server
 * module's tests search a real one): a missing index ends {@code serve} with exit code 1, and
 * {@code query} reports the server's error code.
 */
class ServeQueryCommandTest {

  @TempDir Path dir;

  @Test
  void serveRefusesSomethingThatIsNotAnIndex() {
    CliRun.Result r =
        CliRun.run(
            "serve",
            "--index",
            dir.resolve("missing").toString(),
            "--port",
            "0",
            "--host",
            "127.0.0.1");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("not a Sluice index"), r.err());
    assertTrue(r.out().contains("listening on http://127.0.0.1:"), r.out());
  }

  @Test
  void queryReportsTheServersError() {
    try (SearchServer s =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      CliRun.Result r =
          CliRun.run("query", "--url", "http://127.0.0.1:" + s.port(), "white matter", "--k", "3");
      assertEquals(1, r.code(), r.out() + r.err());
      assertTrue(r.err().contains("503 not_ready"), r.err());
    }
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, CliRun.run("serve", "--port", "1").code());
    assertEquals(2, CliRun.run("query").code());
  }
}
