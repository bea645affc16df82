package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
  void everyErrorCodeTheParserUsesIsListed() throws Exception {
    try (SearchServer s =
        SearchServer.start(ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      JsonNode codes =
          new Http(s.port())
              .get("/openapi.json")
              .json()
              .at("/components/schemas/Error/properties/error/properties/code/enum");
      Set<String> listed = new TreeSet<>();
      codes.forEach(c -> listed.add(c.asText()));
      for (String code :
          new String[] {
            "invalid_json", "invalid_utf8", "invalid_type", "empty_query", "k_out_of_range",
            "unknown_mode", "body_too_large", "unauthorized", "not_ready", "index_rejected"
          }) {
        assertTrue(listed.contains(code), code);
      }
    }
  }
}
