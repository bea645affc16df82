package io.sluice.server;

import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP answer: status, content type, body and any extra headers. Immutable.
 *
 * @param headers besides {@code Content-Type} and {@code Content-Length}, e.g. {@code
 *     WWW-Authenticate}
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

  static final String JSON = "application/json";

  static Reply json(int status, byte[] body) {
    return new Reply(status, JSON, body, Map.of());
  }

  Reply withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, Map.copyOf(more));
  }
}
