package ie.skynet.accounts.api;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An expected way for an API call to fail, with its status and the reason its caller is told:
 * thrown inside a route, answered as {@code {"result":"error","error":reason}}.
 */
final class ApiFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable Duration retryAfter;

  private ApiFailure(int status, String reason, @Nullable Duration retryAfter) {
    super(reason, null, false, false); // an answer, not a fault: no stack to fill in
    this.status = status;
    this.retryAfter = retryAfter;
  }

  static ApiFailure of(int status, String reason) {
    return new ApiFailure(status, reason, null);
  }

  static ApiFailure badRequest(String reason) {
    return new ApiFailure(400, reason, null);
  }

  static ApiFailure invalid(String reason) {
    return new ApiFailure(422, reason, null);
  }

  static ApiFailure tooMany(String what, Duration retryAfter) {
    return new ApiFailure(
        429, what + "; try again in " + retryAfter.toSeconds() + " seconds", retryAfter);
  }

  int status() {
    return status;
  }

  @Nullable Duration retryAfter() {
    return retryAfter;
  }

  String reason() {
    return String.valueOf(getMessage());
  }
}
