package ie.skynet.accounts.account;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.u2f.SkEcdsaPublicKey;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Checks one SSH public key as a member pastes it (one {@code authorized_keys} entry without
 * options): an accepted type, a blob that decodes to exactly one key of that type, and a comment
 * without control characters. MINA decodes the blob; the checks it is lenient about (trailing
 * bytes, a type label that disagrees with the blob, a non-canonical encoding, an EC point off its
 * curve) are made here.
 */
public final class SshPublicKeys {
  /** More than any real key with a comment (a 16384-bit RSA key is under 3,000 characters). */
  static final int MAX_LENGTH = 16 * 1024;

  static final String ED25519 = "ssh-ed25519";
  static final String RSA = "ssh-rsa";
  static final String SK_ED25519 = "sk-ssh-ed25519@openssh.com";
  static final String SK_ECDSA = "sk-ecdsa-sha2-nistp256@openssh.com";
  static final int MIN_RSA_BITS = 2048;
  private static final int MAX_RSA_BITS = 16384;
  private static final int MAX_RSA_EXPONENT_BITS = 33;
  private static final Pattern SPACES = Pattern.compile(" +");

  /** Accepted key types, and for the EC ones the curve name their blob must carry. */
  private static final Map<String, String> CURVES =
      Map.of(
          "ecdsa-sha2-nistp256",
          "nistp256",
          "ecdsa-sha2-nistp384",
          "nistp384",
          "ecdsa-sha2-nistp521",
          "nistp521",
          SK_ECDSA,
          "nistp256");

  private static final Set<String> ACCEPTED =
      Set.of(
          ED25519,
          RSA,
          SK_ED25519,
          SK_ECDSA,
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521");

  private static final String EXPECTED =
      "use ed25519, ecdsa, rsa of 2048 bits or more, or a security-key (sk-) key";
  private static final String PASTE_HINT =
      "paste the one line of your public key file (e.g. ~/.ssh/id_ed25519.pub), starting with its"
          + " type";

  private SshPublicKeys() {}

  /** Checks one pasted public key line. */
  public static SshKeyCheck check(String line) {
    try {
      return new SshKeyCheck.Accepted(parse(line));
    } catch (Invalid e) {
      return new SshKeyCheck.Rejected(e.getMessage());
    }
  }

  private static SshKey parse(String line) throws Invalid {
    if (line.length() > MAX_LENGTH) {
      throw new Invalid(
          "That is too long for a public key (more than "
              + MAX_LENGTH
              + " characters): "
              + PASTE_HINT
              + ".");
    }
    String text = line.strip();
    if (text.isEmpty()) {
      throw new Invalid("No key was given: " + PASTE_HINT + ".");
    }
    // Before the line check: a pasted private key spans many lines, and must be named for what it
    // is, not for its line breaks.
    if (isArmored(text)) {
      throw new Invalid(
          (text.contains("PRIVATE KEY")
                  ? "That is a private key: keep it secret, never paste it into any site, and "
                  : "That is not a public key but armored text (a private key?): keep private keys"
                      + " secret, and ")
              + PASTE_HINT
              + ".");
    }
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new Invalid(
          "The key spans more than one line (or there is more than one key): add one key at a"
              + " time, as a single line.");
    }
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int kind = Character.getType(c);
      if (kind == Character.CONTROL
          || kind == Character.FORMAT
          || kind == Character.LINE_SEPARATOR
          || kind == Character.PARAGRAPH_SEPARATOR) {
        throw new Invalid(
            String.format(
                "The key contains a control or invisible character (U+%04X) at position %d: %s,"
                    + " with single spaces between its parts.",
                c, i + 1, PASTE_HINT));
      }
      i += Character.charCount(c);
    }

    String[] parts = SPACES.split(text, 3);
    String type = parts[0];
    checkType(type, parts);
    if (parts.length < 2) {
      throw new Invalid("The key has no data after its type " + type + ": " + PASTE_HINT + ".");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new Invalid(
          "The key data after " + type + " is not valid base64: " + PASTE_HINT + ", unchanged.");
    }
    Decoded decoded = decode(type, blob);

    String comment = parts.length == 3 ? parts[2].strip() : "";
    for (String word : SPACES.split(comment, -1)) {
      if (isKeyTypeName(word)) {
        throw new Invalid(
            "There seems to be more than one key on the line (" + word + "): add one at a time.");
      }
    }
    return new SshKey(
        type,
        Base64.getEncoder().encodeToString(blob),
        comment.isEmpty() ? null : comment,
        fingerprint(blob),
        decoded.bits());
  }

  /** Rejects every first word that is not an accepted type, saying what it seems to be. */
  private static void checkType(String type, String[] parts) throws Invalid {
    if (ACCEPTED.contains(type)) {
      return;
    }
    if (type.equals("ssh-dss")) {
      throw new Invalid("DSA keys (ssh-dss) are not accepted: " + EXPECTED + ".");
    }
    if (type.endsWith("-cert-v01@openssh.com")) {
      throw new Invalid(
          "SSH certificates ("
              + type
              + ") are not accepted: add the plain public key instead; "
              + EXPECTED
              + ".");
    }
    boolean keyFollows = false;
    for (int i = 1; i < parts.length; i++) {
      for (String word : SPACES.split(parts[i], -1)) {
        keyFollows |= isKeyTypeName(word);
      }
    }
    if (keyFollows || type.contains("=") || type.contains(",") || type.contains("\"")) {
      throw new Invalid(
          "The key starts with options (\""
              + abbreviate(type)
              + "\"); options such as command=, from= or no-pty cannot be set here: paste the"
              + " key alone, starting with its type (e.g. ssh-ed25519).");
    }
    throw new Invalid(
        "\"" + abbreviate(type) + "\" is not a key type this service accepts: " + EXPECTED + ".");
  }

  private static boolean isKeyTypeName(String word) {
    return ACCEPTED.contains(word)
        || word.equals("ssh-dss")
        || word.endsWith("-cert-v01@openssh.com");
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** A key blob that passed every check, decoded by MINA. */
  record Decoded(String type, PublicKey publicKey, int bits) {}

  /**
   * Decodes and checks a key blob that claims to be of type {@code label} (the first word of the
   * line; for a blob found elsewhere, its own type).
   */
  static Decoded decode(String label, byte[] blob) throws Invalid {
    String type;
    String curve = null;
    try {
      ByteArrayBuffer header = new ByteArrayBuffer(blob);
      type = header.getString();
      if (CURVES.containsKey(type)) {
        curve = header.getString();
      }
    } catch (RuntimeException e) {
      throw new Invalid("The key data is damaged: it does not start with a key type.");
    }
    if (!type.equals(label)) {
      throw new Invalid(
          "The key is labelled "
              + abbreviate(label)
              + " but its data is of type "
              + abbreviate(type)
              + ": "
              + PASTE_HINT
              + ", unchanged.");
    }
    if (!ACCEPTED.contains(type)) {
      throw new Invalid(
          type.equals("ssh-dss")
              ? "DSA keys (ssh-dss) are not accepted: " + EXPECTED + "."
              : "Keys of type " + abbreviate(type) + " are not accepted: " + EXPECTED + ".");
    }
    String expectedCurve = CURVES.get(type);
    if (expectedCurve != null && !expectedCurve.equals(curve)) {
      throw new Invalid(
          "The key is of type "
              + type
              + " but its data names the curve "
              + abbreviate(String.valueOf(curve))
              + ", not "
              + expectedCurve
              + ".");
    }

    ByteArrayBuffer buffer = new ByteArrayBuffer(blob);
    PublicKey key;
    try {
      key = buffer.getRawPublicKey();
    } catch (SshException | RuntimeException e) {
      throw new Invalid("The key data is damaged: it is not a valid " + type + " key.");
    }
    if (buffer.available() != 0) {
      throw new Invalid(
          "The key data is damaged: it has "
              + buffer.available()
              + " unexpected bytes after the "
              + type
              + " key.");
    }
    // MINA re-encodes what it decoded; anything else in the blob (a padded number, a key that
    // reads as another type) would make its stored form and fingerprint differ from the key's.
    ByteArrayBuffer again = new ByteArrayBuffer();
    try {
      again.putRawPublicKey(key);
    } catch (RuntimeException e) {
      throw new Invalid("The key data is damaged: it is not a valid " + type + " key.");
    }
    if (!Arrays.equals(blob, again.getCompactData())) {
      throw new Invalid(
          "The key data is not in the standard encoding of a "
              + type
              + " key: "
              + PASTE_HINT
              + ".");
    }

    int bits;
    ECPublicKey ec = ecKey(key);
    if (key instanceof RSAPublicKey rsa) {
      bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new Invalid(
            "RSA keys must have at least "
                + MIN_RSA_BITS
                + " bits; this one has "
                + bits
                + ": make a new key with ssh-keygen -t ed25519 (or -t rsa -b 3072).");
      }
      if (bits > MAX_RSA_BITS) {
        throw new Invalid(
            "RSA keys may have at most "
                + MAX_RSA_BITS
                + " bits (as in OpenSSH); this one has "
                + bits
                + ".");
      }
      // A huge public exponent makes every signature check slow (seconds of CPU for a key that
      // fits in the form); real keys use 65537. OpenSSH's ssh-keygen never makes anything else.
      java.math.BigInteger e = rsa.getPublicExponent();
      if (!e.testBit(0)
          || e.bitLength() > MAX_RSA_EXPONENT_BITS
          || e.compareTo(java.math.BigInteger.valueOf(3)) < 0) {
        throw new Invalid(
            "This RSA key's public exponent is not one ssh-keygen makes (an odd number from 3 up to "
                + MAX_RSA_EXPONENT_BITS
                + " bits, normally 65537): make a new key with ssh-keygen -t ed25519.");
      }
    } else if (ec != null) {
      if (!onCurve(ec.getW(), ec.getParams())) {
        throw new Invalid("The key data is damaged: its point is not on the " + curve + " curve.");
      }
      bits = ((ECFieldFp) ec.getParams().getCurve().getField()).getFieldSize();
    } else {
      bits = 256; // Ed25519, plain or on a security key
    }
    return new Decoded(type, key, bits);
  }

  private static @Nullable ECPublicKey ecKey(PublicKey key) {
    if (key instanceof SkEcdsaPublicKey sk) {
      return sk.getDelegatePublicKey();
    }
    return key instanceof ECPublicKey ec ? ec : null;
  }

  /**
   * y² = x³ + ax + b (mod p). MINA's key factory checks this when BouncyCastle is registered, the
   * JDK's does not: a key should not pass or fail by which provider decoded it.
   */
  static boolean onCurve(ECPoint w, ECParameterSpec params) {
    if (w.equals(ECPoint.POINT_INFINITY)) {
      return false;
    }
    BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
    BigInteger x = w.getAffineX();
    BigInteger y = w.getAffineY();
    if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger right =
        x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
    return y.pow(2).mod(p).equals(right);
  }

  /**
   * OpenSSH's fingerprint, {@code SHA256:} and the unpadded base64 SHA-256 of the blob's bytes, as
   * {@code ssh-keygen -lf} prints it.
   */
  static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A key that cannot be used; the message is the sentence for the member. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }

    @Override
    public String getMessage() {
      return String.valueOf(super.getMessage());
    }
  }

  /**
   * Whether the pasted text is armored, as private keys are: a page must never show it back, where
   * it would sit in the browser's history of the form.
   */
  static boolean isArmored(String pasted) {
    return pasted.strip().startsWith("-----BEGIN");
  }
}
