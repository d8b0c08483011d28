package ie.skynet.accounts.http;

import io.javalin.http.Context;
import java.util.Objects;

/**
 * The two values the web server puts on a request before any feature's route runs: the client's
 * address, on every request, and this browser's form token, on page requests only. Their attribute
 * names are written here once, so the server that sets them and the routes that read them cannot
 * drift apart.
 */
public final class RequestAttributes {
  /** The field every form posts its token back in; the templates write it as {@code csrf}. */
  public static final String CSRF_FIELD = "csrf";

  private static final String CSRF = CSRF_FIELD;
  private static final String CLIENT = "client-address";

  private RequestAttributes() {}

  /**
   * @param address the client's address; behind a proxy, the proxy's view of it
   */
  public static void setClientAddress(Context ctx, String address) {
    ctx.attribute(CLIENT, address);
  }

  public static void setCsrfToken(Context ctx, String token) {
    ctx.attribute(CSRF, token);
  }

  public static String clientAddress(Context ctx) {
    return read(ctx, CLIENT);
  }

  /** The form token of a page request; JSON API and asset requests have none. */
  public static String csrfToken(Context ctx) {
    return read(ctx, CSRF);
  }

  private static String read(Context ctx, String name) {
    String value = ctx.attribute(name);
    return Objects.requireNonNull(value, () -> "the web layer sets the request attribute " + name);
  }
}
