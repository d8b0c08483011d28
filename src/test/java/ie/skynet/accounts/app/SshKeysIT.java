package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.EMAIL;
import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ie.skynet.accounts.account.SshKeygen;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SSH keys on the account page and the API, and recovery by a signature made with the real {@code
 * ssh-keygen}, over real HTTP against the dev stack.
 */
class SshKeysIT extends WithOneMember {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHANGED = "The SSH keys of your Skynet account changed";
  private static final String NEW_PASSWORD = "violet anchor gravel pocket";
  private static final String DSA =
      "ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2EbdSPO9EAMMeP4C2USZpRV1AIlH7WT2NWPq/xfW6MPbLm1Vs14E7gB00b/JmYLdrmVClpJ+f6AR7ECLCT7up1/63xhv4O1fnxqimFQ8E+4P208UewwI1VBNaFpEy9nXzrith1yrv8iIDGZ3RSAHHAAAAFQCXYFCPFSMLzLKSuYKi64QL8Fgc9QAAAIEA9+GghdabPd7LvKtcNrhXuXmUr7v6OuqC+VdMCz0HgmdRWVeOutRZT+ZxBxCBgLRJFnEj6EwoFhO3zwkyjMim4TwWeotUfI0o4KOuHiuzpnWRbqN/C/ohNWLx+2J6ASQ7zKTxvqhRkImog9/hWuWfBpKLZl6Ae1UlZAFMO/7PSSoAAACBAPAqexH6VpSbNWd2yE5ij2SGuUVPy+5sDrA6DSs/6iQFVoHsX3vFt9hQ3t7mZK5+jB/wcVTuK2O0g5bNQiEr7jfEfSNSbfv+fy2gKb0FxUwMj75vMlE6Hy7hPuNLfRvVVJ2z0DHa8nHxzl3uoaC4yGqLDYHEPpD7/DMlPlE4m6jB dsa@old";

  @TempDir Path keys;

  private List<String> storedKeys() throws Exception {
    String[] values =
        dev()
            .running
            .dev()
            .directory
            .getEntry("uid=aoife," + DevDirectory.USERS)
            .getAttributeValues("sshPublicKey");
    return values == null ? List.of() : List.of(values);
  }

  private HttpResponse<String> addKey(Browser browser, String key, String password) {
    browser.get("/account");
    return browser.submit("/account/ssh-keys", "key", key, "password", password);
  }

  private static String fingerprint(Path keyDir, String name) {
    return SshKeygen.run(keyDir, "-l", "-f", keyDir.resolve(name + ".pub").toString())
        .split(" ", -1)[1];
  }

  @Test
  void aMemberAddsListsAndRemovesAKeyAndIsToldEachTime() throws Exception {
    String key = SshKeygen.generate(keys, "id_ed25519", "ed25519", 0, "aoife@laptop").strip();
    String fingerprint = fingerprint(keys, "id_ed25519");
    Browser browser = dev().loggedIn("aoife", PASSWORD);

    HttpResponse<String> wrong = addKey(browser, key, "not my password");
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(storedKeys()).isEmpty();

    HttpResponse<String> added = addKey(browser, key, PASSWORD);
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.body()).contains("Key " + fingerprint + " added");
    assertThat(storedKeys()).containsExactly(key);
    assertThat(browser.get("/account").body())
        .contains("<code>" + fingerprint + "</code> ssh-ed25519, 256 bits, aoife@laptop");
    assertThat(dev().awaitMail(EMAIL, CHANGED).plainText()).contains("Added").contains(fingerprint);

    // The same key under another comment is the same key.
    HttpResponse<String> again =
        addKey(browser, key.replace("aoife@laptop", "aoife@desktop"), PASSWORD);
    assertThat(again.statusCode()).isEqualTo(422);
    assertThat(again.body()).contains("has this key already");

    browser.get("/account");
    assertThat(browser.postExactly("/account/ssh-keys/remove", Map.of("key", key)).statusCode())
        .isEqualTo(403); // no form token: nothing removed
    assertThat(storedKeys()).containsExactly(key);
    HttpResponse<String> removed = browser.submit("/account/ssh-keys/remove", "key", key);
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(storedKeys()).isEmpty();
    assertThat(
            TestDatabases.rows(
                dev().database(),
                "SELECT actor, action, detail FROM audit_log"
                    + " WHERE action NOT IN ('login', 'import', 'account-created') ORDER BY id"))
        .containsExactly(
            "aoife|ssh-key-added|" + fingerprint + " (ssh-ed25519, 256 bits, aoife@laptop)",
            "-|csrf-refused|POST /account/ssh-keys/remove with no Origin", // no token either
            "aoife|ssh-key-removed|" + fingerprint + " (ssh-ed25519, 256 bits, aoife@laptop)");
  }

  @Test
  void keysOutsideTheAllowlistAreRefusedSayingWhy() throws Exception {
    String key = SshKeygen.generate(keys, "id_ed25519", "ed25519", 0, "aoife@laptop").strip();
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    HttpResponse<String> dsa = addKey(browser, DSA, PASSWORD);
    assertThat(dsa.statusCode()).isEqualTo(422);
    assertThat(dsa.body()).contains("DSA keys (ssh-dss) are not accepted");
    assertThat(addKey(browser, "command=\"/bin/sh\" " + key, PASSWORD).statusCode()).isEqualTo(422);
    assertThat(addKey(browser, key + "\n" + key, PASSWORD).statusCode()).isEqualTo(422);
    assertThat(addKey(browser, key.replace("ssh-ed25519", "ssh-rsa"), PASSWORD).statusCode())
        .isEqualTo(422);
    assertThat(storedKeys()).isEmpty();
  }

  private static String challengeIn(String page) {
    Matcher m = Pattern.compile("<pre id=\"challenge\">([^<]+)</pre>").matcher(page);
    assertThat(m.find()).as("the page shows a challenge").isTrue();
    return m.group(1);
  }

  /** Signs the text as the page tells the member to: saved in a file, signed with -n file. */
  private String sign(String key, String text, String namespace) throws Exception {
    Path file = keys.resolve("challenge.txt");
    Files.deleteIfExists(keys.resolve("challenge.txt.sig"));
    SshKeygen.write(file, text);
    SshKeygen.run(
        keys, "-Y", "sign", "-n", namespace, "-f", keys.resolve(key).toString(), file.toString());
    return SshKeygen.read(keys.resolve("challenge.txt.sig"));
  }

  @ParameterizedTest
  @CsvSource({"ed25519, 0", "ecdsa, 256", "rsa, 3072"})
  void aMemberWhoseAddressDiedRecoversBySigningWithTheirKey(String type, int bits)
      throws Exception {
    String name = "id_" + type;
    String key = SshKeygen.generate(keys, name, type, bits, "aoife@laptop").strip();
    addKey(dev().loggedIn("aoife", PASSWORD), key, PASSWORD);

    Browser browser = dev().browser();
    browser.get("/recover/ssh");
    HttpResponse<String> asked =
        browser.post(
            "/recover/ssh", "user", "aoife", "email", EMAIL.toUpperCase(java.util.Locale.ROOT));
    assertThat(asked.statusCode()).isEqualTo(200);
    String challenge = challengeIn(asked.body());

    // Signed in another namespace, the signature proves nothing.
    HttpResponse<String> wrongNamespace =
        browser.post(
            "/recover/ssh/verify",
            "user",
            "aoife",
            "challenge",
            challenge,
            "signature",
            sign(name, challenge, "git"));
    assertThat(wrongNamespace.statusCode()).isEqualTo(422);
    assertThat(wrongNamespace.body())
        .contains("does not answer an open challenge")
        .contains(challenge); // still there to sign again

    // As an editor would save it, with a newline at the end.
    String signature = sign(name, challenge + "\n", "file");
    HttpResponse<String> verified =
        browser.post("/recover/ssh/verify", "user", "aoife", "signature", signature);
    assertThat(verified.statusCode()).isEqualTo(303);
    String resetPath = verified.headers().firstValue("Location").orElseThrow();
    assertThat(resetPath).startsWith("/recover/password/");
    assertThat(browser.get(resetPath).body()).contains("<strong>aoife</strong>");
    assertThat(
            browser
                .submit(resetPath, "password", NEW_PASSWORD, "password-again", NEW_PASSWORD)
                .statusCode())
        .isEqualTo(200);
    assertThat(dev().canBind("aoife", NEW_PASSWORD)).isTrue();
    // Not logged in by it, and the challenge answers once.
    assertThat(browser.get("/account").statusCode()).isEqualTo(303);
    browser.get("/recover/ssh");
    assertThat(
            browser
                .post("/recover/ssh/verify", "user", "aoife", "signature", signature)
                .statusCode())
        .isEqualTo(422);
    assertThat(TestDatabases.rows(dev().database(), "SELECT action FROM audit_log ORDER BY id"))
        .containsSubsequence("ssh-recovery", "password-reset");
  }

  @Test
  void theChallengePageNeverSaysWhetherTheAccountOrAddressMatched() throws Exception {
    String key = SshKeygen.generate(keys, "id_ed25519", "ed25519", 0, "aoife@laptop").strip();
    addKey(dev().loggedIn("aoife", PASSWORD), key, PASSWORD);
    Browser browser = dev().browser();
    browser.get("/recover/ssh");
    HttpResponse<String> wrongAddress =
        browser.post("/recover/ssh", "user", "aoife", "email", "someone@example.net");
    clock.advance(Duration.ofMinutes(2));
    HttpResponse<String> noAccount =
        browser.post("/recover/ssh", "user", "nosuchuser", "email", "someone@example.net");
    String normalised =
        "<pre id=\"challenge\">[^<]+</pre>|value=\"[A-Za-z0-9_-]{43}\"|name=\"challenge\" value=\"[^\"]+\"";
    assertThat(wrongAddress.statusCode()).isEqualTo(noAccount.statusCode()).isEqualTo(200);
    assertThat(noAccount.body().replace("nosuchuser", "aoife").replaceAll(normalised, ""))
        .isEqualTo(wrongAddress.body().replaceAll(normalised, ""));
    // A challenge given for a mismatch is never accepted, even signed by the account's key.
    String signature = sign("id_ed25519", challengeIn(wrongAddress.body()), "file");
    assertThat(browser.post("/recover/ssh/verify", "user", "aoife", "signature", signature).body())
        .contains("does not answer an open challenge");
  }

  @Test
  void badSignaturesAreThrottledPerAccountAndClient() throws Exception {
    Browser browser = dev().browser();
    browser.get("/recover/ssh");
    browser.post("/recover/ssh", "user", "aoife", "email", EMAIL);
    for (int i = 0; i < 5; i++) {
      assertThat(
              browser
                  .post("/recover/ssh/verify", "user", "aoife", "signature", "not a signature")
                  .statusCode())
          .isEqualTo(422);
    }
    HttpResponse<String> throttled =
        browser.post("/recover/ssh/verify", "user", "aoife", "signature", "not a signature");
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
  }

  private HttpResponse<String> call(String route, Object body) throws Exception {
    Browser client = dev().browser();
    return client.send(
        HttpRequest.newBuilder(client.uri(route))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  @Test
  void theApiReplacesTheKeysAndRecoversBySignatureToo() throws Exception {
    String ed = SshKeygen.generate(keys, "id_ed25519", "ed25519", 0, "aoife@laptop").strip();
    String ec = SshKeygen.generate(keys, "id_ecdsa", "ecdsa", 384, "aoife@desktop").strip();
    Map<String, String> both =
        Map.of(
            "user",
            "aoife",
            "pass",
            PASSWORD,
            "field",
            "sshPublicKey",
            "value",
            ed + "\n" + ec + "\n");
    HttpResponse<String> set = call("/ldap/update", both);
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(set.body()).get("sshPublicKey").size()).isEqualTo(2);
    assertThat(storedKeys()).containsExactlyInAnyOrder(ed, ec);

    HttpResponse<String> bad =
        call(
            "/ldap/update",
            Map.of(
                "user",
                "aoife",
                "pass",
                PASSWORD,
                "field",
                "sshPublicKey",
                "value",
                ed + "\n" + DSA));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).startsWith("line 2:");
    assertThat(storedKeys()).containsExactlyInAnyOrder(ed, ec); // all or nothing

    call(
        "/ldap/update",
        Map.of("user", "aoife", "pass", PASSWORD, "field", "sshPublicKey", "value", ec));
    assertThat(storedKeys()).containsExactly(ec);

    HttpResponse<String> asked =
        call("/ldap/recover/ssh/request", Map.of("user", "aoife", "email", EMAIL));
    JsonNode challenge = JSON.readTree(asked.body());
    assertThat(challenge.get("keys").size()).isZero(); // never says whether user and address match
    HttpResponse<String> unknown =
        call("/ldap/recover/ssh/request", Map.of("user", "nosuchuser", "email", EMAIL));
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(unknown.body()).get("keys").size()).isZero();

    String signature = sign("id_ecdsa", challenge.get("auth").asText(), "file");
    HttpResponse<String> verified =
        call("/ldap/recover/ssh/verify", Map.of("user", "aoife", "auth_signed", signature));
    assertThat(verified.statusCode()).isEqualTo(200);
    String auth = JSON.readTree(verified.body()).get("auth").asText();
    HttpResponse<String> reset =
        call("/ldap/recover/password/auth", Map.of("auth", auth, "pass", NEW_PASSWORD));
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(dev().canBind("aoife", NEW_PASSWORD)).isTrue();
    HttpResponse<String> replay =
        call("/ldap/recover/ssh/verify", Map.of("user", "aoife", "auth_signed", signature));
    assertThat(replay.statusCode()).isEqualTo(401);
  }
}
