package ie.skynet.accounts.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Verifies an SSHSIG signature, the armored text {@code ssh-keygen -Y sign -n NAMESPACE -f KEY
 * FILE} writes to {@code FILE.sig} (OpenSSH's PROTOCOL.sshsig), against the keys of one account.
 * MINA does the cryptography, sk variants included; the framing is parsed here, strictly, because
 * MINA's verifiers accept trailing bytes and an {@code ssh-rsa} (SHA-1) label on RSA signatures.
 */
public final class SshSignatures {
  private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  private static final String END = "-----END SSH SIGNATURE-----";
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_LENGTH = 64 * 1024;
  private static final Map<String, String> HASHES =
      Map.of("sha256", "SHA-256", "sha512", "SHA-512");
  private static final Set<String> RSA_SIGNATURES = Set.of("rsa-sha2-256", "rsa-sha2-512");
  private static final int USER_PRESENCE = 0x01;

  private SshSignatures() {}

  /**
   * Verifies {@code armoredSignature} over {@code message} in {@code namespace}, made by one of
   * {@code allowedKeys}.
   */
  public static SignatureCheck verify(
      String armoredSignature, byte[] message, String namespace, List<SshKey> allowedKeys) {
    try {
      return new SignatureCheck.Verified(check(armoredSignature, message, namespace, allowedKeys));
    } catch (Refusal e) {
      return new SignatureCheck.Refused(e.getMessage());
    }
  }

  private static SshKey check(
      String armored, byte[] message, String namespace, List<SshKey> allowedKeys) throws Refusal {
    byte[] blob = unarmor(armored);

    byte[] publicKey;
    String signedNamespace;
    byte[] reserved;
    String hashAlgorithm;
    byte[] signature;
    try {
      ByteArrayBuffer in = new ByteArrayBuffer(blob);
      byte[] magic = new byte[MAGIC.length];
      in.getRawBytes(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new Refusal("This is not an SSH signature (it does not start with SSHSIG).");
      }
      long version = in.getUInt();
      if (version != VERSION) {
        throw new Refusal(
            "This SSH signature is of version " + version + "; only version 1 is understood.");
      }
      publicKey = in.getBytes();
      signedNamespace = in.getString();
      reserved = in.getBytes();
      hashAlgorithm = in.getString();
      signature = in.getBytes();
      if (in.available() != 0) {
        throw new Refusal("The signature is damaged: it has unexpected bytes at its end.");
      }
    } catch (RuntimeException e) {
      throw new Refusal("The signature is damaged: it ends before all its parts were read.");
    }

    if (!signedNamespace.equals(namespace)) {
      throw new Refusal(
          "The signature was made for \""
              + abbreviate(signedNamespace)
              + "\", not \""
              + namespace
              + "\": sign with ssh-keygen -Y sign -n "
              + namespace
              + ".");
    }
    SshKey signer = allowed(publicKey, allowedKeys);
    if (signer == null) {
      throw new Refusal(
          "The signature was made with a key that is not on this account ("
              + SshPublicKeys.fingerprint(publicKey)
              + ").");
    }
    String digestName = HASHES.get(hashAlgorithm);
    if (digestName == null) {
      throw new Refusal(
          "The signature hashes the message with \""
              + abbreviate(hashAlgorithm)
              + "\"; only sha256 and sha512 are accepted.");
    }
    SshPublicKeys.Decoded key;
    try {
      key = SshPublicKeys.decode(signer.type(), publicKey);
    } catch (SshPublicKeys.Invalid e) {
      throw new Refusal("The key that made the signature cannot be used: " + e.getMessage());
    }
    String signatureType = signatureType(key.type(), signature);

    ByteArrayBuffer signed = new ByteArrayBuffer();
    signed.putRawBytes(MAGIC);
    signed.putString(signedNamespace);
    signed.putBytes(reserved);
    signed.putString(hashAlgorithm);
    signed.putBytes(digest(digestName, message));
    boolean valid;
    try {
      Signature verifier = BuiltinSignatures.fromFactoryName(signatureType).create();
      verifier.initVerifier(null, key.publicKey());
      verifier.update(null, signed.getCompactData());
      valid = verifier.verify(null, signature);
    } catch (Exception e) {
      valid = false;
    }
    if (!valid) {
      throw new Refusal(
          "The signature does not match the message: it was made over other text, or altered.");
    }
    return signer;
  }

  private static byte[] unarmor(String armored) throws Refusal {
    if (armored.length() > MAX_LENGTH) {
      throw new Refusal("That is too long for an SSH signature.");
    }
    String text = armored.strip();
    if (!text.startsWith(BEGIN)
        || !text.endsWith(END)
        || text.length() < BEGIN.length() + END.length()) {
      throw new Refusal(
          "This is not an SSH signature: paste all of the .sig file ssh-keygen -Y sign wrote, from "
              + BEGIN
              + " to "
              + END
              + ".");
    }
    StringBuilder body = new StringBuilder();
    text.substring(BEGIN.length(), text.length() - END.length())
        .lines()
        .forEach(line -> body.append(line.strip()));
    try {
      return Base64.getDecoder().decode(body.toString());
    } catch (IllegalArgumentException e) {
      throw new Refusal(
          "The signature is damaged: the text between its BEGIN and END lines is not valid"
              + " base64.");
    }
  }

  private static @Nullable SshKey allowed(byte[] publicKey, List<SshKey> allowedKeys) {
    for (SshKey candidate : allowedKeys) {
      byte[] blob;
      try {
        blob = Base64.getDecoder().decode(candidate.base64());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (MessageDigest.isEqual(blob, publicKey)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Reads the signature's own type and checks that it suits the key (SHA-2 for RSA, the key's type
   * otherwise), that nothing follows the signature, and that a security key was touched.
   */
  private static String signatureType(String keyType, byte[] signature) throws Refusal {
    ByteArrayBuffer in = new ByteArrayBuffer(signature);
    String type;
    try {
      type = in.getString();
    } catch (RuntimeException e) {
      throw new Refusal("The signature is damaged: its value is cut short.");
    }
    if (keyType.equals(SshPublicKeys.RSA) && type.equals("ssh-rsa")) {
      throw new Refusal(
          "RSA signatures with SHA-1 (ssh-rsa) are not accepted: sign with a current ssh-keygen,"
              + " which uses rsa-sha2-512.");
    }
    boolean suits =
        keyType.equals(SshPublicKeys.RSA) ? RSA_SIGNATURES.contains(type) : type.equals(keyType);
    if (!suits) {
      throw new Refusal(
          "The signature is of type "
              + abbreviate(type)
              + ", which does not match the "
              + keyType
              + " key that made it.");
    }
    boolean securityKey =
        keyType.equals(SshPublicKeys.SK_ED25519) || keyType.equals(SshPublicKeys.SK_ECDSA);
    byte flags = USER_PRESENCE;
    try {
      in.getBytes();
      if (securityKey) {
        flags = in.getByte();
        in.getUInt(); // the security key's signature counter
      }
    } catch (RuntimeException e) {
      throw new Refusal("The signature is damaged: its value is cut short.");
    }
    if (in.available() != 0) {
      throw new Refusal("The signature is damaged: it has unexpected bytes after its value.");
    }
    if ((flags & USER_PRESENCE) == 0) {
      throw new Refusal(
          "The security key was not touched when it signed (no user-presence flag): sign again"
              + " and touch the key when it blinks.");
    }
    return type;
  }

  private static byte[] digest(String algorithm, byte[] message) {
    try {
      return MessageDigest.getInstance(algorithm).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + algorithm, e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  /** A signature that proves nothing; the message says why. */
  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    Refusal(String reason) {
      super(reason, null, false, false);
    }

    @Override
    public String getMessage() {
      return String.valueOf(super.getMessage());
    }
  }
}
