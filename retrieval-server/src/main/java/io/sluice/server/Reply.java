package io.sluice.server;

import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP answer: status, content type, body and any extra headers. Immutable.
 *
 * @param headers besides {@code Content-Type} and {@code Content-Length}, e.g. {@code
 *     WWW-Authenticate}
 * @param head whether this answers HEAD: the headers say the body's length, the body is not sent
 */
record Reply(
    int status, String contentType, byte[] body, Map<String, String> headers, boolean head) {

  static final String JSON = "application/json";

  Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    this(status, contentType, body, headers, false);
  }

  static Reply json(int status, byte[] body) {
    return new Reply(status, JSON, body, Map.of());
  }

  /** The answer to HEAD: this reply's status and headers, its body's length, no body sent. */
  Reply headOnly() {
    return new Reply(status, contentType, body, headers, true);
  }

  Reply withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, Map.copyOf(more), head);
  }
}
