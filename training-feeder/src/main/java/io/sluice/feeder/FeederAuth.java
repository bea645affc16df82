package io.sluice.feeder;

import io.sluice.core.auth.ApiKeys;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightCallHeaders;
import org.apache.arrow.flight.HeaderCallOption;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * The feeder's optional key check: with keys on, every call must carry the header {@code
 * authorization: Bearer KEY} (what any Flight client can send: {@code
 * pyarrow.flight.FlightCallOptions(headers=[(b"authorization", b"Bearer KEY")])}), else it is
 * refused UNAUTHENTICATED before the ticket is read. Keys are compared as digests ({@link ApiKeys})
 * and never logged. Stateless and thread-safe.
 */
final class FeederAuth {

  private FeederAuth() {}

  /** The server side: a no-op without keys. */
  static CallHeaderAuthenticator server(ApiKeys keys) {
    if (keys == null) {
      return CallHeaderAuthenticator.NO_OP;
    }
    return headers -> {
      String value = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
      String key =
          value != null && value.startsWith(Auth2Constants.BEARER_PREFIX)
              ? value.substring(Auth2Constants.BEARER_PREFIX.length())
              : null;
      if (!keys.accepts(key)) {
        throw CallStatus.UNAUTHENTICATED
            .withDescription(
                key == null
                    ? "this feeder needs a key: send the header 'authorization: Bearer KEY'"
                    : "the key is not accepted")
            .toRuntimeException();
      }
      return () -> "client"; // the peer is not identified beyond holding a key
    };
  }

  /** The client side: the header that carries {@code key}. */
  static HeaderCallOption header(String key) {
    CallHeaders h = new FlightCallHeaders();
    h.insert(Auth2Constants.AUTHORIZATION_HEADER, Auth2Constants.BEARER_PREFIX + key);
    return new HeaderCallOption(h);
  }
}
