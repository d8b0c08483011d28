package ie.skynet.accounts.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SshPublicKeysTest {
  /** Security keys cannot be made without the hardware: public keys built to the format. */
  static final String SK_ED25519 =
      "sk-ssh-ed25519@openssh.com"
          + " AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIIhHyoXXmMAtikaP5IAU48QSp04wT5FrUBgVMuoA90LA"
          + "AAAABHNzaDo= yubikey@skynet";

  static final String SK_ECDSA =
      "sk-ecdsa-sha2-nistp256@openssh.com"
          + " AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBCbjv9MjRpxvnE4yZv9"
          + "faRyRCfsv5ZR0OP7LjGonu5qi3+d18FRIZL3N3gvIp1VYePu0qcmMZQWgteJGWF/BG0gAAAAEc3NoOg=="
          + " solokey@skynet";

  /** Fixed: OpenSSH 10 no longer makes DSA keys. */
  static final String DSA =
      "ssh-dss AAAAB3NzaC1kc3MAAACBAIAs0RC2JCBjU+3S9N30lN92b55i7YdPUJdlfnSHSEtLo+Cyrgzq/MjOLynX8GSqc7"
          + "DHtokLIS8iiH3SyFCkqzy7jLzo7lWKjpbv2aYcbijGQ6iFu0hujqgjahpsTBjSSK/mAAkZ1jGdFQbKgZnYayonQRsXT"
          + "kiEXKdNuxGiMBxDAAAAFQDoN+fWY0tOKZ9dsR1wqePxSUxbWQAAAIAanr4QLqwAGNIMSL+o5S4IaJOeJw808ANDLf0k"
          + "mmN/IWsyhtChG01qUsgJVf/a9Djja+kGc/NsKKjDi8a8Su6c8uYcYOVM7Uue5bEb+T7mvU0HoQTGYSLRVhjo+P4OML5x"
          + "spDixgXr3vVdZ8NGF0VjATWGIuZmnZqwLUpXafaSEwAAAIBJkudFlEB5bOVoiZjep6/V2gttfOXOrKEMnQajMnmgoM5G"
          + "x1nHnswiV3eSeO9Ce+BRWNZR+/SBi9pVzJD+YTaMoiFDHdWko14F08l2UHn5+olQ1VwkwKXgSs+VuZzy1a2BPmF/Uxwa"
          + "0F08hhmLcpnbbftpwh04PiSATxN80n6QkA== root@vm";

  @TempDir static Path dir;

  /** name → the .pub line ssh-keygen wrote (with its newline). */
  private static final Map<String, String> PUB = new HashMap<>();

  @BeforeAll
  static void generateKeys() throws Exception {
    PUB.put("ed25519", SshKeygen.generate(dir, "ed25519", "ed25519", 0, "alice@laptop"));
    PUB.put("ecdsa256", SshKeygen.generate(dir, "ecdsa256", "ecdsa", 256, "alice@laptop"));
    PUB.put("ecdsa384", SshKeygen.generate(dir, "ecdsa384", "ecdsa", 384, "alice@laptop"));
    PUB.put("ecdsa521", SshKeygen.generate(dir, "ecdsa521", "ecdsa", 521, "alice@laptop"));
    PUB.put("rsa2048", SshKeygen.generate(dir, "rsa2048", "rsa", 2048, "alice@laptop"));
    PUB.put("rsa3072", SshKeygen.generate(dir, "rsa3072", "rsa", 3072, "alice@laptop"));
    PUB.put("rsa1024", rsa1024());
    // A certificate for the ed25519 key, signed by a throwaway CA.
    SshKeygen.generate(dir, "ca", "ed25519", 0, "ca");
    SshKeygen.run(dir, "-q", "-s", "ca", "-I", "alice", "-n", "alice", "ed25519.pub");
    PUB.put("cert", SshKeygen.read(dir.resolve("ed25519-cert.pub")));
  }

  /** New OpenSSH may refuse 1024-bit RSA; then the JDK makes one and MINA encodes it. */
  private static String rsa1024() throws Exception {
    if (SshKeygen.succeeds(dir, "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", "rsa1024")) {
      return SshKeygen.read(dir.resolve("rsa1024.pub"));
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    ByteArrayBuffer blob = new ByteArrayBuffer();
    blob.putRawPublicKey(generator.generateKeyPair().getPublic());
    return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.getCompactData()) + " old\n";
  }

  /** A 3072-bit RSA key of the JDK's with another public exponent, encoded by MINA. */
  private static String rsaWithExponent(java.math.BigInteger exponent) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072);
    java.security.interfaces.RSAPublicKey made =
        (java.security.interfaces.RSAPublicKey) generator.generateKeyPair().getPublic();
    ByteArrayBuffer blob = new ByteArrayBuffer();
    blob.putRawPublicKey(
        java.security.KeyFactory.getInstance("RSA")
            .generatePublic(new java.security.spec.RSAPublicKeySpec(made.getModulus(), exponent)));
    return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.getCompactData()) + " odd";
  }

  static Stream<Arguments> acceptedKeys() {
    return Stream.of(
        Arguments.of("ed25519", "ssh-ed25519", 256),
        Arguments.of("ecdsa256", "ecdsa-sha2-nistp256", 256),
        Arguments.of("ecdsa384", "ecdsa-sha2-nistp384", 384),
        Arguments.of("ecdsa521", "ecdsa-sha2-nistp521", 521),
        Arguments.of("rsa2048", "ssh-rsa", 2048),
        Arguments.of("rsa3072", "ssh-rsa", 3072));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedKeys")
  void acceptsEachAllowedTypeWithTheFingerprintOfSshKeygen(String name, String type, int bits) {
    String line = PUB.get(name);

    SshKey key = accepted(line);

    String[] keygen = SshKeygen.fingerprintLine(dir, dir.resolve(name + ".pub"));
    assertThat(key.type()).isEqualTo(type);
    assertThat(key.bits()).isEqualTo(bits).isEqualTo(Integer.parseInt(keygen[0]));
    assertThat(key.fingerprint()).isEqualTo(keygen[1]).startsWith("SHA256:").doesNotEndWith("=");
    assertThat(key.comment()).isEqualTo("alice@laptop");
    assertThat(key.authorizedKeysLine()).isEqualTo(line.strip());
  }

  static Stream<Arguments> securityKeys() {
    return Stream.of(
        Arguments.of(SK_ED25519, "sk-ssh-ed25519@openssh.com", "yubikey@skynet"),
        Arguments.of(SK_ECDSA, "sk-ecdsa-sha2-nistp256@openssh.com", "solokey@skynet"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("securityKeys")
  void acceptsSecurityKeysWithTheFingerprintOfSshKeygen(String line, String type, String comment) {
    SshKey key = accepted(line);

    Path file = SshKeygen.write(dir.resolve(type + ".pub"), line + "\n");
    String[] keygen = SshKeygen.fingerprintLine(dir, file);
    assertThat(key.type()).isEqualTo(type);
    assertThat(key.bits()).isEqualTo(256).isEqualTo(Integer.parseInt(keygen[0]));
    assertThat(key.fingerprint()).isEqualTo(keygen[1]);
    assertThat(key.comment()).isEqualTo(comment);
    assertThat(key.authorizedKeysLine()).isEqualTo(line);
  }

  @Test
  void theFingerprintsOfTheFixedSecurityKeysAreThoseSshKeygenPrinted() {
    assertThat(accepted(SK_ED25519).fingerprint())
        .isEqualTo("SHA256:afQ9TxCA7XVDDAJeS6SB0SlhzE0uwdhne1uHk1a/pdg");
    assertThat(accepted(SK_ECDSA).fingerprint())
        .isEqualTo("SHA256:zYDCax3rUAQ6j4g5Fpts31Uym0c8XI3kIh0OddSxp4s");
  }

  @Test
  void normalisesSpacesAndATrailingNewlineAndKeepsACommentWithSpaces() {
    String[] parts = PUB.get("ed25519").strip().split(" ", -1);

    SshKey key = accepted("  " + parts[0] + "   " + parts[1] + "  Aoife Murphy's laptop \n");

    assertThat(key.comment()).isEqualTo("Aoife Murphy's laptop");
    assertThat(key.authorizedKeysLine())
        .isEqualTo(parts[0] + " " + parts[1] + " Aoife Murphy's laptop");
  }

  @Test
  void aKeyWithoutACommentHasNone() {
    String[] parts = PUB.get("ed25519").strip().split(" ", -1);

    SshKey key = accepted(parts[0] + " " + parts[1]);

    assertThat(key.comment()).isNull();
    assertThat(key.authorizedKeysLine()).isEqualTo(parts[0] + " " + parts[1]);
  }

  static Stream<Arguments> rejectedKeys() throws Exception {
    String ed25519 = PUB.get("ed25519").strip();
    String ed25519Key = type(ed25519) + " " + data(ed25519);
    String rsa = PUB.get("rsa2048").strip();
    byte[] ecdsa256 = blob(PUB.get("ecdsa256"));
    byte[] edBlob = blob(ed25519);
    return Stream.of(
        Arguments.of("DSA", DSA, "DSA keys (ssh-dss) are not accepted: use ed25519"),
        Arguments.of(
            "RSA of 1024 bits", PUB.get("rsa1024"), "at least 2048 bits; this one has 1024"),
        Arguments.of(
            "RSA with a huge public exponent (slow to check)",
            rsaWithExponent(java.math.BigInteger.ONE.shiftLeft(4000).add(java.math.BigInteger.ONE)),
            "public exponent is not one ssh-keygen makes"),
        Arguments.of(
            "RSA with a 40-bit public exponent",
            rsaWithExponent(java.math.BigInteger.ONE.shiftLeft(39).add(java.math.BigInteger.ONE)),
            "public exponent is not one ssh-keygen makes"),
        Arguments.of("unknown type", "ssh-foo " + data(ed25519), "\"ssh-foo\" is not a key type"),
        Arguments.of("certificate", PUB.get("cert"), "SSH certificates"),
        Arguments.of("invalid base64", "ssh-ed25519 AAAAC3Nz!aC1lZDI1NTE5", "not valid base64"),
        Arguments.of("no key data", "ssh-ed25519", "no data after its type"),
        Arguments.of(
            "truncated blob",
            line("ssh-ed25519", Arrays.copyOf(edBlob, edBlob.length - 3)),
            "is not a valid ssh-ed25519 key"),
        Arguments.of(
            "ed25519 key of 5 bytes",
            line("ssh-ed25519", concat(string("ssh-ed25519"), string(new byte[5]))),
            "is not a valid ssh-ed25519 key"),
        Arguments.of(
            "blob with trailing bytes",
            line("ssh-ed25519", concat(edBlob, new byte[] {0, 0, 0, 0})),
            "4 unexpected bytes after the ssh-ed25519 key"),
        Arguments.of(
            "label disagrees with the blob",
            "ssh-rsa " + data(ed25519),
            "labelled ssh-rsa but its data is of type ssh-ed25519"),
        Arguments.of(
            "ecdsa label of another curve",
            "ecdsa-sha2-nistp384 " + data(PUB.get("ecdsa256")),
            "labelled ecdsa-sha2-nistp384 but its data is of type ecdsa-sha2-nistp256"),
        Arguments.of(
            "ecdsa curve name inside the blob disagrees",
            line("ecdsa-sha2-nistp256", replace(ecdsa256, "nistp256", "nistp384")),
            "names the curve nistp384, not nistp256"),
        Arguments.of(
            "ecdsa point off its curve",
            line("ecdsa-sha2-nistp256", flipLastByte(ecdsa256)),
            "The key data is damaged"),
        Arguments.of(
            "rsa exponent padded with a zero byte",
            line("ssh-rsa", paddedExponent(rsa)),
            "not in the standard encoding"),
        Arguments.of(
            "command= option",
            "command=\"echo hi\" " + ed25519,
            "starts with options (\"command=\"echo\")"),
        Arguments.of(
            "no-pty,from= options",
            "no-pty,from=\"10.0.0.1\" " + rsa,
            "options such as command=, from= or no-pty cannot be set here"),
        Arguments.of("restrict option", "restrict " + ed25519, "starts with options"),
        Arguments.of("two keys on two lines", ed25519 + "\n" + rsa, "more than one line"),
        Arguments.of("two keys, CR between", ed25519 + "\r" + rsa, "more than one line"),
        Arguments.of("two keys on one line", ed25519Key + " " + rsa, "more than one key"),
        Arguments.of("NUL in the comment", ed25519Key + " alice\0", "(U+0000)"),
        Arguments.of("escape in the comment", ed25519Key + " \u001b[31malice", "(U+001B)"),
        Arguments.of("right-to-left override", ed25519Key + " \u202Ealice", "(U+202E)"),
        Arguments.of(
            "tab between the parts",
            type(ed25519) + "\t" + data(ed25519),
            "control or invisible character (U+0009) at position 12"),
        Arguments.of("empty", "", "No key was given"),
        Arguments.of("blank lines", " \n\r\n ", "No key was given"),
        Arguments.of(
            "over 16 KB", ed25519Key + " " + "x".repeat(16 * 1024), "too long for a public key"),
        Arguments.of("private key", "-----BEGIN OPENSSH PRIVATE KEY-----", "That is a private key"),
        // Pasted whole it spans lines: it was once refused for that, not for what it is (issue 15).
        Arguments.of(
            "private key pasted whole",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
                + "-----END OPENSSH PRIVATE KEY-----\n",
            "That is a private key: keep it secret"),
        Arguments.of(
            "another armored text",
            "-----BEGIN SSH2 PUBLIC KEY-----\nAAAAB3NzaC1yc2E\n-----END SSH2 PUBLIC KEY-----",
            "not a public key but armored text"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedKeys")
  void rejectsWithAReasonSayingWhatWasExpected(String name, String line, String reason) {
    SshKeyCheck check = SshPublicKeys.check(line);

    assertThat(check).isInstanceOf(SshKeyCheck.Rejected.class);
    assertThat(((SshKeyCheck.Rejected) check).reason()).contains(reason).endsWith(".");
  }

  @Test
  void eachRejectionCaseIsAcceptedWithoutItsFault() {
    // The table's inputs are real keys with one fault each: without it they pass.
    assertThat(SshPublicKeys.check(PUB.get("ed25519"))).isInstanceOf(SshKeyCheck.Accepted.class);
    assertThat(SshPublicKeys.check(PUB.get("ecdsa256"))).isInstanceOf(SshKeyCheck.Accepted.class);
    assertThat(SshPublicKeys.check(PUB.get("rsa2048"))).isInstanceOf(SshKeyCheck.Accepted.class);
    String ed25519 = PUB.get("ed25519").strip();
    assertThat(SshPublicKeys.check(ed25519 + " " + "x".repeat(16 * 1024 - ed25519.length() - 1)))
        .isInstanceOf(SshKeyCheck.Accepted.class);
  }

  @Test
  void aPointOffItsCurveIsCaughtEvenWhereTheKeyFactoryTakesIt() throws Exception {
    // With BouncyCastle registered MINA's EC key factory refuses such points (the table above);
    // the JDK's alone takes them, so the check stays.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
    ECPoint w = key.getW();

    assertThat(SshPublicKeys.onCurve(w, key.getParams())).isTrue();
    assertThat(
            SshPublicKeys.onCurve(
                new ECPoint(w.getAffineX(), w.getAffineY().add(BigInteger.ONE)), key.getParams()))
        .isFalse();
    assertThat(SshPublicKeys.onCurve(ECPoint.POINT_INFINITY, key.getParams())).isFalse();
  }

  private static SshKey accepted(String line) {
    SshKeyCheck check = SshPublicKeys.check(line);
    assertThat(check).isInstanceOf(SshKeyCheck.Accepted.class);
    return ((SshKeyCheck.Accepted) check).key();
  }

  private static String type(String line) {
    return line.strip().split(" ", -1)[0];
  }

  private static String data(String line) {
    return line.strip().split(" ", -1)[1];
  }

  static byte[] blob(String line) {
    return Base64.getDecoder().decode(data(line));
  }

  static String line(String type, byte[] blob) {
    return type + " " + Base64.getEncoder().encodeToString(blob) + " alice@laptop";
  }

  static byte[] string(String s) throws IOException {
    return string(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] string(byte[] b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(b.length);
    out.write(b);
    return bytes.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.writeBytes(part);
    }
    return bytes.toByteArray();
  }

  private static byte[] replace(byte[] blob, String from, String to) {
    // The curve as a string of its own (length-prefixed), not the end of the type name.
    String text = new String(blob, StandardCharsets.ISO_8859_1);
    String prefix =
        new String(new byte[] {0, 0, 0, (byte) from.length()}, StandardCharsets.ISO_8859_1);
    assertThat(text).containsOnlyOnce(prefix + from);
    return text.replace(prefix + from, prefix + to).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] flipLastByte(byte[] blob) {
    byte[] copy = blob.clone();
    copy[copy.length - 1] ^= 1;
    return copy;
  }

  /** string "ssh-rsa", mpint e with a needless leading zero, mpint n: the same key, mis-encoded. */
  private static byte[] paddedExponent(String line) throws Exception {
    RSAPublicKey key = (RSAPublicKey) new ByteArrayBuffer(blob(line)).getRawPublicKey();
    byte[] e = key.getPublicExponent().toByteArray();
    return concat(
        string("ssh-rsa"),
        string(concat(new byte[] {0}, e)),
        string(key.getModulus().toByteArray()));
  }
}
