package io.sluice.server;

import java.util.List;

/**
 * One HTTP route of the server. {@link #ALL} is the single list both the router and the OpenAPI
 * test read, so a route cannot be served without being described.
 *
 * @param path Javalin path syntax ({@code {id}} for a parameter), which is also OpenAPI's
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
}
