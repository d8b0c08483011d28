package ie.skynet.accounts.web;

import ie.skynet.accounts.http.RequestAttributes;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * CSRF protection in two layers (OWASP). First, a form must come from our own origin: browsers name
 * it in {@code Origin} (or {@code Sec-Fetch-Site}) on every POST. That is what stops members' sites
 * on skynet.ie subdomains, which count as the same site for SameSite cookies and can plant cookies
 * for the parent domain. Second, signed double submit: the browser holds a random value in an
 * HttpOnly cookie ({@code __Host-} prefixed behind https, so subdomains cannot set it), and every
 * form carries an HMAC of it under a key kept in the database.
 */
final class Csrf {
  static final String FIELD = RequestAttributes.CSRF_FIELD;
  private static final int BYTES = 32;

  private final SecureRandom random;
  private final SecretKeySpec key;
  private final String cookieName;
  private final boolean secure;
  private final String origin;

  /**
   * @param key the HMAC key, the same across restarts and instances so open forms keep working
   * @param origin the only origin forms may come from: the base URL's
   */
  Csrf(SecureRandom random, byte[] key, String origin, boolean secure) {
    this.random = random;
    this.key = new SecretKeySpec(key, "HmacSHA256");
    this.origin = origin;
    this.secure = secure;
    // The __Host- prefix makes browsers refuse the cookie from subdomains; it requires Secure.
    this.cookieName = secure ? "__Host-csrf" : "csrf";
  }

  /** The form token for this browser, setting its cookie first if it has none. */
  String tokenFor(Context ctx) {
    String value = validCookie(ctx);
    if (value == null) {
      byte[] bytes = new byte[BYTES];
      random.nextBytes(bytes);
      value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      ctx.cookie(new Cookie(cookieName, value, "/", -1, secure, true, null, SameSite.LAX));
    }
    return sign(value);
  }

  /**
   * Whether a submitted form came from our origin and carries the token matching this browser's
   * cookie. Clients that name no origin at all are not browsers, which CSRF cannot drive.
   */
  boolean accepts(Context ctx) {
    if (!fromOurOrigin(ctx)) {
      return false;
    }
    String value = validCookie(ctx);
    if (value == null) {
      return false; // decided before the body is read
    }
    String submitted = ctx.formParam(FIELD);
    if (submitted == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        submitted.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * Whether a browser sent this from our own origin: the first layer alone, for the JSON API, whose
   * callers hold no form token (a cross-site page cannot send it JSON without CORS, which this
   * service never grants).
   */
  boolean fromOurOrigin(Context ctx) {
    String from = ctx.header("Origin");
    String site = ctx.header("Sec-Fetch-Site");
    if ("null".equals(from)) {
      // Browsers hide a real origin as "null" in two cases: a sandboxed frame or other opaque
      // origin (an attack), and a page whose referrer policy is no-referrer (Fetch standard,
      // "append a request Origin header"); privacy settings and extensions can still impose
      // that policy on our pages. Sec-Fetch-Site, which no page can set, tells the two apart: a
      // sandboxed or foreign page's request is never "same-origin".
      return "same-origin".equals(site);
    }
    if (from != null && !from.equalsIgnoreCase(origin)) {
      return false;
    }
    return from != null || site == null || site.equals("same-origin") || site.equals("none");
  }

  private @Nullable String validCookie(Context ctx) {
    String value = ctx.cookie(cookieName);
    return value != null && value.matches("[A-Za-z0-9_-]{43}") ? value : null;
  }

  private String sign(String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(value.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
