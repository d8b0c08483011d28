package ie.skynet.accounts.links;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secrets the service hands out (mailed links, session ids): 32 random bytes from {@link
 * SecureRandom} in URL-safe base64, of which only the SHA-256 is stored, so a copy of the database
 * opens nothing.
 */
public final class BearerTokens {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private BearerTokens() {}

  public static String issue(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether the text could be one of ours at all; anything else is not looked up. */
  public static boolean wellFormed(String token) {
    return SHAPE.matcher(token).matches();
  }

  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
