package ie.skynet.accounts.account;

import static ie.skynet.accounts.account.SshPublicKeysTest.concat;
import static ie.skynet.accounts.account.SshPublicKeysTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SshSignaturesTest {
  private static final String CHALLENGE =
      "skynet-accounts: add an SSH key to alice\nnonce: 3q2+7w==\nexpires: 2026-11-27T12:00:00Z\n";
  private static final byte[] MESSAGE = CHALLENGE.getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;

  private static final Map<String, SshKey> KEYS = new HashMap<>();
  private static int signatures;

  @BeforeAll
  static void generateKeys() {
    KEYS.put("ed25519", key(SshKeygen.generate(dir, "ed25519", "ed25519", 0, "alice@laptop")));
    KEYS.put("ecdsa256", key(SshKeygen.generate(dir, "ecdsa256", "ecdsa", 256, "alice@phone")));
    KEYS.put("ecdsa384", key(SshKeygen.generate(dir, "ecdsa384", "ecdsa", 384, "alice@work")));
    KEYS.put("rsa3072", key(SshKeygen.generate(dir, "rsa3072", "rsa", 3072, "alice@old")));
    KEYS.put("other", key(SshKeygen.generate(dir, "other", "ed25519", 0, "mallory@laptop")));
  }

  /** Alice's keys: every one made above but mallory's. */
  private static List<SshKey> alice() {
    return List.of(
        KEYS.get("ed25519"), KEYS.get("ecdsa256"), KEYS.get("ecdsa384"), KEYS.get("rsa3072"));
  }

  static Stream<Arguments> keysAndHashes() {
    List<Arguments> cases = new ArrayList<>();
    for (String key : List.of("ed25519", "ecdsa256", "ecdsa384", "rsa3072")) {
      for (String hash : List.of("sha256", "sha512")) {
        cases.add(Arguments.of(key, hash));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndHashes")
  void verifiesWhatSshKeygenSignedAndSaysWhichKey(String key, String hash) {
    String signature = sign(key, "file", MESSAGE, "-O", "hashalg=" + hash);

    SignatureCheck check = SshSignatures.verify(signature, MESSAGE, "file", alice());

    assertThat(hashOf(signature)).isEqualTo(hash);
    assertThat(check).isEqualTo(new SignatureCheck.Verified(KEYS.get(key)));
  }

  @Test
  void rsaSignaturesOfSshKeygenUseSha2() {
    Sshsig signature = Sshsig.parse(sign("rsa3072", "file", MESSAGE));

    assertThat(new ByteArrayBuffer(signature.signature).getString()).isEqualTo("rsa-sha2-512");
  }

  @Test
  void refusesASignatureForAnotherNamespace() {
    String signature = sign("ed25519", "git", MESSAGE);

    assertThat(reason(SshSignatures.verify(signature, MESSAGE, "file", alice())))
        .contains("made for \"git\", not \"file\"");
  }

  @Test
  void refusesAMessageAlteredByOneByte() {
    String signature = sign("ecdsa256", "file", MESSAGE);
    byte[] altered = MESSAGE.clone();
    altered[altered.length - 2] ^= 1;

    assertThat(reason(SshSignatures.verify(signature, altered, "file", alice())))
        .contains("does not match the message");
    assertThat(SshSignatures.verify(signature, MESSAGE, "file", alice()))
        .isInstanceOf(SignatureCheck.Verified.class);
  }

  @Test
  void refusesAKeyThatIsNotOnTheAccount() {
    String signature = sign("other", "file", MESSAGE);

    assertThat(reason(SshSignatures.verify(signature, MESSAGE, "file", alice())))
        .contains("not on this account (" + KEYS.get("other").fingerprint() + ")");
    assertThat(reason(SshSignatures.verify(signature, MESSAGE, "file", List.of())))
        .contains("not on this account");
  }

  @Test
  void refusesASignatureClaimingAnotherAllowedKey() {
    Sshsig signature = Sshsig.parse(sign("ed25519", "file", MESSAGE));
    signature.publicKey = SshPublicKeysTest.blob(KEYS.get("other").authorizedKeysLine());

    List<SshKey> allowed = List.of(KEYS.get("ed25519"), KEYS.get("other"));
    assertThat(reason(SshSignatures.verify(signature.armor(), MESSAGE, "file", allowed)))
        .contains("does not match the message");
  }

  static Stream<Arguments> damagedSignatures() {
    return Stream.of(
        Arguments.of(
            "no BEGIN line",
            text(s -> s.replace("-----BEGIN SSH SIGNATURE-----", "")),
            "not an SSH signature: paste all"),
        Arguments.of(
            "no END line",
            text(s -> s.substring(0, s.indexOf("-----END"))),
            "not an SSH signature"),
        Arguments.of(
            "garbled base64", text(s -> s.replaceFirst("\n(.)", "\n!")), "not valid base64"),
        Arguments.of(
            "wrong magic",
            edit(sig -> sig.magic = "SSHSIH".getBytes(StandardCharsets.US_ASCII)),
            "does not start with SSHSIG"),
        Arguments.of("version 2", edit(sig -> sig.version = 2), "of version 2; only version 1"),
        Arguments.of(
            "hashed with sha1", edit(sig -> sig.hash = "sha1"), "\"sha1\"; only sha256 and sha512"),
        Arguments.of(
            "trailing bytes",
            edit(sig -> sig.trailer = new byte[] {0}),
            "unexpected bytes at its end"),
        Arguments.of(
            "cut short",
            text(s -> armor(Arrays.copyOf(unarmor(s), unarmor(s).length - 9))),
            "ends before all its parts"),
        Arguments.of(
            "reserved field changed",
            edit(sig -> sig.reserved = new byte[] {1}),
            "does not match the message"),
        Arguments.of(
            "bytes after the signature value",
            edit(sig -> sig.signature = concat(sig.signature, new byte[] {0})),
            "unexpected bytes after its value"),
        Arguments.of(
            "signature type of another key",
            edit(sig -> sig.signature = relabel(sig.signature, "ecdsa-sha2-nistp256")),
            "of type ecdsa-sha2-nistp256, which does not match the ssh-ed25519 key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedSignatures")
  void refusesADamagedSignatureSayingWhy(String name, UnaryOperator<String> damage, String reason) {
    String signature = sign("ed25519", "file", MESSAGE);
    assertThat(SshSignatures.verify(signature, MESSAGE, "file", alice()))
        .isInstanceOf(SignatureCheck.Verified.class);

    SignatureCheck check = SshSignatures.verify(damage.apply(signature), MESSAGE, "file", alice());

    assertThat(reason(check)).contains(reason);
  }

  @Test
  void refusesAnRsaSignatureLabelledSha1() {
    Sshsig signature = Sshsig.parse(sign("rsa3072", "file", MESSAGE));
    signature.signature = relabel(signature.signature, "ssh-rsa");

    assertThat(reason(SshSignatures.verify(signature.armor(), MESSAGE, "file", alice())))
        .contains("RSA signatures with SHA-1 (ssh-rsa) are not accepted");
  }

  @Test
  void refusesAnRsaSha512SignatureLabelledSha256() {
    Sshsig signature = Sshsig.parse(sign("rsa3072", "file", MESSAGE));
    signature.signature = relabel(signature.signature, "rsa-sha2-256");

    assertThat(reason(SshSignatures.verify(signature.armor(), MESSAGE, "file", alice())))
        .contains("does not match the message");
  }

  @Test
  void refusesAKeyOfATypeNoLongerAccepted() {
    // A key stored before the rules, e.g. a DSA key, verifies nothing.
    SshKey dsa =
        new SshKey(
            "ssh-dss",
            SshPublicKeysTest.DSA.split(" ", -1)[1],
            null,
            SshPublicKeys.fingerprint(SshPublicKeysTest.blob(SshPublicKeysTest.DSA)),
            1024);
    Sshsig signature = Sshsig.parse(sign("ed25519", "file", MESSAGE));
    signature.publicKey = SshPublicKeysTest.blob(SshPublicKeysTest.DSA);

    assertThat(reason(SshSignatures.verify(signature.armor(), MESSAGE, "file", List.of(dsa))))
        .contains("DSA keys (ssh-dss) are not accepted");
  }

  @Test
  void verifiesASecurityKeySignatureOnlyIfTheKeyWasTouched() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] blob =
        concat(
            string("sk-ssh-ed25519@openssh.com"),
            string(Arrays.copyOfRange(x509, x509.length - 32, x509.length)),
            string("ssh:"));
    SshKey key =
        ((SshKeyCheck.Accepted)
                SshPublicKeys.check(
                    "sk-ssh-ed25519@openssh.com " + Base64.getEncoder().encodeToString(blob)))
            .key();

    String touched = securityKeySignature(pair, blob, (byte) 0x01, MESSAGE);
    String untouched = securityKeySignature(pair, blob, (byte) 0x00, MESSAGE);

    assertThat(SshSignatures.verify(touched, MESSAGE, "file", List.of(key)))
        .isEqualTo(new SignatureCheck.Verified(key));
    assertThat(
            reason(
                SshSignatures.verify(
                    touched, "other".getBytes(StandardCharsets.UTF_8), "file", List.of(key))))
        .contains("does not match the message");
    assertThat(reason(SshSignatures.verify(untouched, MESSAGE, "file", List.of(key))))
        .contains("not touched");
  }

  /**
   * What a FIDO authenticator signs for OpenSSH: sha256(application) || flags || counter ||
   * sha256(data), with Ed25519.
   */
  private static String securityKeySignature(
      KeyPair pair, byte[] publicKey, byte flags, byte[] message) throws Exception {
    byte[] data =
        concat(
            "SSHSIG".getBytes(StandardCharsets.US_ASCII),
            string("file"),
            string(""),
            string("sha512"),
            string(MessageDigest.getInstance("SHA-512").digest(message)));
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] counter = {0, 0, 0, 7};
    java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(sha256.digest("ssh:".getBytes(StandardCharsets.US_ASCII)));
    signer.update(flags);
    signer.update(counter);
    signer.update(sha256.digest(data));
    Sshsig sig = new Sshsig();
    sig.publicKey = publicKey;
    sig.namespace = "file";
    sig.hash = "sha512";
    sig.signature =
        concat(
            string("sk-ssh-ed25519@openssh.com"),
            string(signer.sign()),
            new byte[] {flags},
            counter);
    return sig.armor();
  }

  /** ssh-keygen -Y sign -n namespace -f key over message; the armored .sig. */
  private static String sign(String key, String namespace, byte[] message, String... options) {
    try {
      Path file = Files.write(dir.resolve("challenge-" + ++signatures), message);
      List<String> args = new ArrayList<>(List.of("-Y", "sign", "-n", namespace, "-f", key));
      args.addAll(List.of(options));
      args.add(file.toString());
      SshKeygen.run(dir, args.toArray(String[]::new));
      return SshKeygen.read(Path.of(file + ".sig"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static SshKey key(String line) {
    return ((SshKeyCheck.Accepted) SshPublicKeys.check(line)).key();
  }

  private static String reason(SignatureCheck check) {
    assertThat(check).isInstanceOf(SignatureCheck.Refused.class);
    return ((SignatureCheck.Refused) check).reason();
  }

  private static String hashOf(String armored) {
    return Sshsig.parse(armored).hash;
  }

  private static UnaryOperator<String> text(UnaryOperator<String> damage) {
    return damage;
  }

  private static UnaryOperator<String> edit(java.util.function.Consumer<Sshsig> change) {
    return armored -> {
      Sshsig sig = Sshsig.parse(armored);
      change.accept(sig);
      return sig.armor();
    };
  }

  private static byte[] relabel(byte[] signature, String type) {
    ByteArrayBuffer in = new ByteArrayBuffer(signature);
    in.getString();
    try {
      return concat(string(type), Arrays.copyOfRange(signature, in.rpos(), signature.length));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] unarmor(String armored) {
    String body =
        armored
            .replace("-----BEGIN SSH SIGNATURE-----", "")
            .replace("-----END SSH SIGNATURE-----", "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static String armor(byte[] blob) {
    String base64 = Base64.getEncoder().encodeToString(blob);
    StringBuilder text = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
    for (int i = 0; i < base64.length(); i += 70) {
      text.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
    }
    return text.append("-----END SSH SIGNATURE-----\n").toString();
  }

  /** The fields of an SSHSIG blob, to damage one at a time. */
  private static final class Sshsig {
    byte[] magic = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    int version = 1;
    byte[] publicKey = {};
    String namespace = "";
    byte[] reserved = {};
    String hash = "";
    byte[] signature = {};
    byte[] trailer = {};

    static Sshsig parse(String armored) {
      ByteArrayBuffer in = new ByteArrayBuffer(unarmor(armored));
      Sshsig sig = new Sshsig();
      in.getRawBytes(sig.magic);
      sig.version = (int) in.getUInt();
      sig.publicKey = in.getBytes();
      sig.namespace = in.getString();
      sig.reserved = in.getBytes();
      sig.hash = in.getString();
      sig.signature = in.getBytes();
      assertThat(in.available()).isZero();
      return sig;
    }

    String armor() {
      ByteArrayBuffer out = new ByteArrayBuffer();
      out.putRawBytes(magic);
      out.putUInt(version);
      out.putBytes(publicKey);
      out.putString(namespace);
      out.putBytes(reserved);
      out.putString(hash);
      out.putBytes(signature);
      out.putRawBytes(trailer);
      return SshSignaturesTest.armor(out.getCompactData());
    }
  }
}
