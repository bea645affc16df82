package io.sluice.server;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;

/**
 * One whole HTTP request as the {@link Endpoints} see it: its body already read (within the size
 * limit), its headers, and who sent it. Immutable once made (the transport hands over its headers
 * and never touches them again).
 *
 * @param method upper case, e.g. {@code POST}
 * @param uri as sent: path and query string, percent-encoded
 * @param remote the peer's address, or null when the transport cannot tell
 */
record Request(String method, String uri, HttpHeaders headers, byte[] body, InetAddress remote) {

  /** The path part of the URI, still percent-encoded. */
  String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** A header's first value, or null. */
  String header(String name) {
    return headers.get(name);
  }
}
