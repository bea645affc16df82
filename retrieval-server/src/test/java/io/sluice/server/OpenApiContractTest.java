package io.sluice.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract checker that {@link Http} runs on every answer finds what breaks the contract. */
class OpenApiContractTest {

  private static List<String> check(String method, String path, int status, String body)
      throws Exception {
    return OpenApiContract.get()
        .violations(
            method, path, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDocumentMatchesExactlyOneOfPassageAndDocument() throws Exception {
    assertEquals(
        List.of(),
        check("GET", "/v1/doc/4983", 200, "{\"doc_id\": \"4983\", \"passages\": []}"));
    assertEquals(
        List.of(),
        check("GET", "/v1/doc/4983%230", 200, "{\"id\": \"4983#0\", \"doc_id\": \"4983\", \"text\": \"t\"}"));
    assertFalse(check("GET", "/v1/doc/4983", 200, "{\"passages\": []}").isEmpty());
    assertFalse(
        check("GET", "/v1/doc/4983", 200, "{\"doc_id\": \"4983\", \"passages\": [], \"x\": 1}")
            .isEmpty());
  }

  @Test
  void errorsNeedTheirDocumentedShapeAndCode() throws Exception {
    String ok = "{\"error\": {\"code\": \"not_found\", \"message\": \"no route\"}}";
    assertEquals(List.of(), check("GET", "/nowhere", 404, ok));
    assertEquals(List.of(), check("DELETE", "/healthz", 405, ok.replace("not_found", "method_not_allowed")));
    assertFalse(check("POST", "/v1/search", 400, "{\"error\": \"bad\"}").isEmpty());
    assertFalse(check("POST", "/v1/search", 400, ok.replace("not_found", "oops")).isEmpty());
  }

  @Test
  void searchAnswersAreChecked() throws Exception {
    assertEquals(
        List.of(),
        check(
            "POST",
            "/v1/search",
            200,
            "{\"hits\": [{\"id\": \"a#0\", \"doc_id\": \"a\", \"score\": 1.5, \"text\": \"x\"}],"
                + " \"mode\": \"bm25\", \"took_ms\": 1.0}"));
    assertFalse(check("POST", "/v1/search", 200, "{\"hits\": [{\"id\": 3}], \"mode\": \"bm25\", \"took_ms\": 1}").isEmpty());
  }
}
