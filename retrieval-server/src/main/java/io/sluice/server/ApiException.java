package io.sluice.server;

/**
 * A request that the server refuses or could not answer, carried to the HTTP layer as a status and
 * a stable error code ({@code {"error": {"code": ..., "message": ...}}}). The message goes to the
 * client, so it names the offending field and value but never server internals or a cause's stack.
 */
final class ApiException extends RuntimeException {

  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false); // no stack: these are answers, not failures
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
