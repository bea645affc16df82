package io.sluice.ingest.langid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSON objects as maps, for the test-side corpus readers and the model generator. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private Json() {}

  static Map<String, Object> object(String json) {
    try {
      return MAPPER.readValue(json, OBJECT);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }
}
