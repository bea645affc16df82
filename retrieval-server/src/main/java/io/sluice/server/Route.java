package io.sluice.server;

import java.util.List;

/**
 * One HTTP route of the server. {@link #ALL} is the single list both the router and the OpenAPI
 * test read, so a route cannot be served without being described.
 *
 * @param path OpenAPI path syntax ({@code {id}} for a parameter)
 * @param authenticated whether an API key is required when the server has keys
 */
record Route(String method, String path, boolean authenticated) {

  static final Route SEARCH = new Route("POST", "/v1/search", true);
  static final Route DOC = new Route("GET", "/v1/doc/{id}", true);
  static final Route HEALTH = new Route("GET", "/healthz", false);
  static final Route METRICS = new Route("GET", "/metrics", false);
  static final Route OPENAPI = new Route("GET", "/openapi.json", false);
  static final Route RELOAD = new Route("POST", "/admin/reload", true);

  static final List<Route> ALL = List.of(SEARCH, DOC, HEALTH, METRICS, OPENAPI, RELOAD);

  static final String DOC_PREFIX = "/v1/doc/";

  /** Whether {@code m} is this route's method, or HEAD of a GET route. */
  boolean allows(String m) {
    return method.equals(m) || m.equals("HEAD") && method.equals("GET");
  }

  /** The {@code Allow} header of this route's path. */
  String allowed() {
    return method.equals("GET") ? "GET, HEAD" : method;
  }

  /** The route whose path matches a request path (still percent-encoded), or null. */
  static Route matching(String path) {
    for (Route r : ALL) {
      if (r.path().equals(path)) {
        return r;
      }
    }
    return path.startsWith(DOC_PREFIX) && path.length() > DOC_PREFIX.length() ? DOC : null;
  }
}
