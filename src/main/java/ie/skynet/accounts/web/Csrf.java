package ie.skynet.accounts.web;

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
 * CSRF protection by signed double submit (OWASP): the browser holds a random value in an HttpOnly
 * cookie, and every form carries an HMAC of it under a key only this process knows. A plain double
 * submit would not do: members run sites on skynet.ie subdomains, which can plant cookies for the
 * parent domain, but they cannot compute the HMAC.
 */
final class Csrf {
  static final String FIELD = WebServer.CSRF_ATTRIBUTE;
  private static final int BYTES = 32;

  private final SecureRandom random;
  private final SecretKeySpec key;
  private final String cookieName;
  private final boolean secure;

  Csrf(SecureRandom random, boolean secure) {
    this.random = random;
    byte[] keyBytes = new byte[BYTES];
    random.nextBytes(keyBytes);
    this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
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

  /** Whether a submitted form carries the token that matches this browser's cookie. */
  boolean accepts(Context ctx) {
    String value = validCookie(ctx);
    String submitted = ctx.formParam(FIELD);
    if (value == null || submitted == null) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        submitted.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
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
