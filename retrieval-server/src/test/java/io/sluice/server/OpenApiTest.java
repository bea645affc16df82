package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The served OpenAPI description lists exactly the routes the server registers, and parses. */
class OpenApiTest {

  @Test
  void everyRouteIsDescribedAndNothingElse() throws Exception {
    try (SearchServer s =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      Http.Response r = new Http(s.port()).get("/openapi.json");
      assertEquals(200, r.status());
      JsonNode doc = r.json();
      assertTrue(doc.path("openapi").asText().startsWith("3."));
      Set<String> described = new TreeSet<>();
      for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> e = p.next();
        e.getValue().fieldNames().forEachRemaining(m -> described.add(m + " " + e.getKey()));
      }
      Set<String> served = new TreeSet<>();
      for (Route route : Route.ALL) {
        served.add(route.method().toLowerCase(Locale.ROOT) + " " + route.path());
      }
      assertEquals(served, described);
    }
  }

  @Test
  void everyErrorCodeTheServerAnswersIsListed() throws Exception {
    try (SearchServer s =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      JsonNode codes =
          new Http(s.port())
              .get("/openapi.json")
              .json()
              .at("/components/schemas/Error/properties/error/properties/code/enum");
      Set<String> listed = new TreeSet<>();
      codes.forEach(c -> listed.add(c.asText()));
      // Every code the server's sources can answer with: ApiException(status, "code", …),
      // badRequest("code", …) and refuse(status, "code", …).
      Pattern answered =
          Pattern.compile(
              "(?:new ApiException\\(\\s*\\d+,|badRequest\\(|refuse\\(\\s*\\d+,)"
                  + "\\s*\"([a-z_0-9]+)\"");
      Set<String> used = new TreeSet<>();
      try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = answered.matcher(Files.readString(f));
          while (m.find()) {
            used.add(m.group(1));
          }
        }
      }
      assertTrue(used.size() >= 20, "found only " + used);
      for (String code : used) {
        assertTrue(listed.contains(code), code + " is answered but not in openapi.json");
      }
    }
  }
}
