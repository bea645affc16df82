package io.sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own {@code openapi.json} as a checker of answers: for a method, path and status it
 * finds the documented response (the status's own, else {@code default}) and validates a JSON body
 * against its schema with a JSON Schema validator. {@link Http} runs it on every response the
 * server tests see, so an answer that breaks the published contract fails the test that got it.
 *
 * <p>OpenAPI 3.0's schema objects are JSON Schema with one addition this file uses, {@code
 * nullable}, which is rewritten as "or null" before validation. Thread-safe.
 */
final class OpenApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApiContract INSTANCE = new OpenApiContract();

  private final ObjectNode spec;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiContract() {
    try (InputStream in = Endpoints.class.getResourceAsStream("openapi.json")) {
      spec = (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rewriteNullable(spec);
  }

  static OpenApiContract get() {
    return INSTANCE;
  }

  /**
   * The contract's complaints about one answer; empty when it keeps the contract.
   *
   * @param path the request path (percent-encoded, no query)
   */
  List<String> violations(String method, String path, int status, String contentType, byte[] body)
      throws IOException {
    Route route = Route.matching(path);
    if (route == null) {
      return status == 404 ? errorBody(status, body) : List.of("no route for " + path);
    }
    String op = method.equals("HEAD") ? "get" : method.toLowerCase(Locale.ROOT);
    JsonNode operation = spec.path("paths").path(route.path()).path(op);
    if (operation.isMissingNode()) {
      // a method the path does not serve: answered 405 with the error body
      return status == 405 ? errorBody(status, body) : List.of(method + " " + path + " not described");
    }
    JsonNode response = operation.path("responses").path(String.valueOf(status));
    if (response.isMissingNode()) {
      response = operation.path("responses").path("default");
    }
    if (response.isMissingNode()) {
      return List.of("status " + status + " is not documented for " + method + " " + route.path());
    }
    response = resolve(response);
    JsonNode content = response.path("content");
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    if (method.equals("HEAD") || content.isMissingNode()) {
      return List.of();
    }
    if (!content.has(type)) {
      return List.of(
          method + " " + route.path() + " " + status + ": content type " + type
              + " is not one of " + iterable(content.fieldNames()));
    }
    JsonNode schema = content.path(type).path("schema");
    if (!type.equals("application/json") || schema.isMissingNode()) {
      return List.of();
    }
    return validate(method + " " + route.path() + " " + status, schema, body);
  }

  private List<String> errorBody(int status, byte[] body) throws IOException {
    return validate(
        "error " + status, JSON.createObjectNode().put("$ref", "#/components/schemas/Error"), body);
  }

  private List<String> validate(String what, JsonNode schema, byte[] body) throws IOException {
    JsonNode value;
    try {
      value = JSON.readTree(body);
    } catch (IOException e) {
      return List.of(what + ": body is not JSON: " + e.getMessage());
    }
    Schema s =
        schemas.computeIfAbsent(
            schema.toString(),
            k -> {
              ObjectNode root = spec.deepCopy();
              root.remove(List.of("paths", "info", "openapi", "servers"));
              root.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
              root.setAll((ObjectNode) schema);
              return registry.getSchema(root);
            });
    List<Error> errors = s.validate(value);
    return errors.stream().map(e -> what + ": " + e + " in " + abbreviate(value)).toList();
  }

  private JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      node = spec.at(ref.substring(1));
    }
    return node;
  }

  /** {@code nullable: true} (OpenAPI 3.0) as JSON Schema: {@code anyOf: [the schema, null]}. */
  private static void rewriteNullable(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.path("nullable").asBoolean(false)) {
        o.remove("nullable");
        ObjectNode copy = o.deepCopy();
        o.removeAll();
        ArrayNode any = o.putArray("anyOf");
        any.add(copy);
        any.addObject().put("type", "null");
      }
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      rewriteNullable(it.next());
    }
  }

  private static String abbreviate(JsonNode value) {
    String s = value.toString();
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  private static String iterable(Iterator<String> it) {
    StringBuilder b = new StringBuilder();
    it.forEachRemaining(x -> b.append(b.length() == 0 ? "" : ", ").append(x));
    return b.toString();
  }
}
