package ie.skynet.accounts.account;

import org.jspecify.annotations.Nullable;

/**
 * One SSH public key that {@link SshPublicKeys#check} accepted.
 *
 * @param type the key type, e.g. {@code ssh-ed25519}
 * @param base64 the key blob in standard padded base64, as OpenSSH writes it
 * @param comment the text after the key (often {@code user@host}), or null when there was none
 * @param fingerprint {@code SHA256:} and the unpadded base64 SHA-256 of the blob, as {@code
 *     ssh-keygen -lf} prints it
 * @param bits the key size: the RSA modulus, the EC curve, 256 for Ed25519
 */
public record SshKey(
    String type, String base64, @Nullable String comment, String fingerprint, int bits) {

  /** The normalised line to store in LDAP {@code sshPublicKey}: {@code type base64 [comment]}. */
  public String authorizedKeysLine() {
    return comment == null ? type + " " + base64 : type + " " + base64 + " " + comment;
  }
}
