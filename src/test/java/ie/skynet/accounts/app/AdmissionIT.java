package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.EMAIL;
import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may log in and recover, over real HTTP against the dev stack: the accounts the service made,
 * unless an admin disabled them, and the configured admins. Everyone else gets, on every route, the
 * answer an unknown username gets.
 */
class AdmissionIT {
  /** The password of the entries made here by hand, which the directory really accepts. */
  private static final String HAND_PASSWORD = "slate heron copper lantern";

  private static final String RESET_SUBJECT = "Choose a new Skynet password";

  @TempDir Path data;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private OneMemberDev dev;

  @BeforeEach
  void start() throws Exception {
    dev = OneMemberDev.start(data, clock, Map.of("ACCOUNTS_LIFECYCLE_ADMINS", "committee"));
    for (String uid : new String[] {"svc-backup", "committee"}) {
      dev.running
          .dev()
          .directory
          .add(
              "dn: uid=" + uid + "," + DevDirectory.USERS,
              "objectClass: inetOrgPerson",
              "uid: " + uid,
              "cn: " + uid,
              "sn: " + uid,
              "userPassword: " + HAND_PASSWORD);
    }
  }

  @AfterEach
  void stop() {
    dev.close();
  }

  private HttpResponse<String> logIn(Browser browser, String username, String password) {
    browser.get("/login");
    return browser.post("/login", "username", username, "password", password);
  }

  /** The page with its per-request token and the name typed taken out, to compare answers. */
  private static String withoutTokenOrName(HttpResponse<String> page, String name) {
    return page.body().replaceAll("value=\"[^\"]{43}\"", "").replace(name, "NAME");
  }

  private HttpResponse<String> update(String user, String pass) {
    Browser client = dev.browser();
    return client.send(
        HttpRequest.newBuilder(client.uri("/ldap/update"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"user\":\""
                        + user
                        + "\",\"pass\":\""
                        + pass
                        + "\",\"field\":\"cn\",\"value\":\"Someone Else\"}")));
  }

  @Test
  void anEntryTheServiceDidNotMakeIsRefusedAsAnUnknownUserUnlessItIsAnAdmin() throws Exception {
    assertThat(dev.canBind("svc-backup", HAND_PASSWORD)).isTrue(); // the directory takes it

    HttpResponse<String> service = logIn(dev.browser(), "svc-backup", HAND_PASSWORD);
    HttpResponse<String> unknown = logIn(dev.browser(), "nosuchuser", HAND_PASSWORD);
    assertThat(service.statusCode()).isEqualTo(401);
    assertThat(withoutTokenOrName(service, "svc-backup"))
        .isEqualTo(withoutTokenOrName(unknown, "nosuchuser"));
    assertThat(update("svc-backup", HAND_PASSWORD).body())
        .isEqualTo(update("nosuchuser", HAND_PASSWORD).body())
        .contains("\"result\":\"error\"");

    HttpResponse<String> admin = logIn(dev.browser(), "committee", HAND_PASSWORD);
    assertThat(admin.statusCode()).isEqualTo(303);
    assertThat(admin.headers().firstValue("Location")).hasValue("/account");
  }

  @Test
  void aDisabledAccountGetsTheAnswerOfAnUnknownUserOnEveryRoute() throws Exception {
    Browser loggedIn = dev.loggedIn("aoife", PASSWORD);
    assertThat(loggedIn.get("/account").statusCode()).isEqualTo(200);
    // A reset link mailed while the account could still use it.
    Browser first = dev.browser();
    first.get("/recover/password");
    first.post("/recover/password", "user", "aoife");
    dev.running.answerWaiting();
    String link = OneMemberDev.linkIn(dev.awaitMail(EMAIL, RESET_SUBJECT));
    // And a link to confirm a new address, asked for while logged in.
    loggedIn.get("/account");
    loggedIn.post("/account/email", "new-email", "aoife.new@example.com", "password", PASSWORD);
    String addressLink =
        OneMemberDev.linkIn(
            dev.awaitMail("aoife.new@example.com", "Confirm your new Skynet contact address"));

    TestDatabases.execute(
        dev.database(), "UPDATE accounts SET status = 'disabled' WHERE username = 'aoife'");

    // The session it had ends at its next request.
    HttpResponse<String> after = loggedIn.get("/account");
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.headers().firstValue("Location")).hasValue("/login");

    // Logging in, by page and by the API, with the right password.
    HttpResponse<String> disabled = logIn(dev.browser(), "aoife", PASSWORD);
    HttpResponse<String> unknown = logIn(dev.browser(), "nosuchuser", PASSWORD);
    assertThat(disabled.statusCode()).isEqualTo(401);
    assertThat(withoutTokenOrName(disabled, "aoife"))
        .isEqualTo(withoutTokenOrName(unknown, "nosuchuser"));
    assertThat(update("aoife", PASSWORD).body()).isEqualTo(update("nosuchuser", PASSWORD).body());
    assertThat(dev.canBind("aoife", PASSWORD)).isTrue(); // refused by us, not by a lost password

    // The link mailed before works no more, and says so as an unknown link does.
    Browser fromMail = dev.browser();
    HttpResponse<String> opened = fromMail.get(link);
    HttpResponse<String> madeUp = fromMail.get("/recover/password/" + "A".repeat(43));
    assertThat(opened.statusCode()).isEqualTo(404);
    assertThat(opened.body()).isEqualTo(madeUp.body());
    HttpResponse<String> addressOpened = fromMail.get(addressLink);
    assertThat(addressOpened.statusCode()).isEqualTo(404);
    assertThat(addressOpened.body())
        .isEqualTo(fromMail.get("/account/email/" + "A".repeat(43)).body());

    // Asking again for a reset link or the username mails nothing that helps.
    clock.advance(Duration.ofMinutes(2)); // past the per-address limit of the first ask
    Browser asking = dev.browser();
    asking.get("/recover/password");
    assertThat(asking.post("/recover/password", "user", "aoife").statusCode()).isEqualTo(200);
    asking.get("/recover/username");
    assertThat(asking.post("/recover/username", "email", EMAIL).statusCode()).isEqualTo(200);
    dev.running.answerWaiting();
    DevMail usernames = dev.awaitMail(EMAIL, "No Skynet account uses this address");
    assertThat(usernames.plainText())
        .contains("No Skynet account uses it")
        .doesNotContain("  aoife");
    assertThat(dev.running.dev().mailbox.mails())
        .filteredOn(m -> m.subject().equals(RESET_SUBJECT))
        .hasSize(1); // only the one from before
  }

  @Test
  void aLapsedAccountLogsInAndIsToldWhenItLapsedAndWhereToRenew() throws Exception {
    TestDatabases.execute(
        dev.database(),
        "UPDATE accounts_wolves SET expiry = '2025-08-31' WHERE id_wolves = 'W200001'",
        "UPDATE accounts SET status = 'expired' WHERE username = 'aoife'");
    Browser browser = dev.loggedIn("aoife", PASSWORD);
    assertThat(browser.get("/account").body())
        .contains("Your membership lapsed on 2025-08-31.")
        .contains("<a href=\"https://ulwolves.ie/society/computer\">Renew it on Wolves</a>");
  }

  @Test
  void aCurrentMemberIsNotToldToRenew() {
    assertThat(dev.loggedIn("aoife", PASSWORD).get("/account").body())
        .doesNotContain("lapsed")
        .doesNotContain("Renew it");
  }
}
