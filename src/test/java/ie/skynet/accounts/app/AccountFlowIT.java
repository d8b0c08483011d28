package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logging in, the account page and logging out, over real HTTP against the dev stack. */
class AccountFlowIT extends WithOneMember {
  private static final String PASSWORD = OneMemberDev.PASSWORD;

  private HttpResponse<String> logIn(Browser browser, String username, String password) {
    browser.get("/login");
    return browser.post("/login", "username", username, "password", password);
  }

  @Test
  void aMemberLogsInSeesTheirAccountAndLoggingOutEndsTheSessionOnTheServer() {
    Browser browser = dev().browser();
    HttpResponse<String> form = browser.get("/login");
    assertThat(form.body())
        .contains("<label for=\"username\">")
        .contains("<label for=\"password\">");

    HttpResponse<String> in = browser.post("/login", "username", "Aoife", "password", PASSWORD);
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(in.headers().firstValue("Location")).hasValue("/account");
    assertThat(in.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c).startsWith("session=").contains("HttpOnly").contains("SameSite=Lax"));
    String session = browser.cookie("session");

    HttpResponse<String> account = browser.get("/account");
    assertThat(account.statusCode()).isEqualTo(200);
    assertThat(account.body())
        .contains("<dd>aoife</dd>")
        .contains("aoife.murphy@example.com")
        .contains("current, until 2027-08-31")
        .contains("<dt>Discord</dt><dd>(none linked)</dd>");
    dev().running.directory().setDiscord("aoife", "aoife.codes");
    assertThat(browser.get("/account").body()).contains("<dt>Discord</dt><dd>aoife.codes</dd>");

    HttpResponse<String> out = browser.submit("/logout");
    assertThat(out.body()).contains("You are logged out.");
    assertThat(browser.get("/account").statusCode()).isEqualTo(303);

    // The old cookie, replayed, is worth nothing: the session ended on the server.
    Browser thief = dev().browser();
    thief.plantCookie("session", String.valueOf(session));
    HttpResponse<String> replay = thief.get("/account");
    assertThat(replay.statusCode()).isEqualTo(303);
    assertThat(replay.headers().firstValue("Location")).hasValue("/login");
  }

  @Test
  void everyFailureGetsTheSameAnswer() {
    HttpResponse<String> wrongPassword = logIn(dev().browser(), "aoife", PASSWORD + "x");
    HttpResponse<String> unknownUser = logIn(dev().browser(), "nosuchuser", PASSWORD);
    HttpResponse<String> noPassword = logIn(dev().browser(), "aoife", "");
    for (HttpResponse<String> response :
        new HttpResponse[] {wrongPassword, unknownUser, noPassword}) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).contains("Invalid username or password.");
    }
    assertThat(
            unknownUser.body().replace("nosuchuser", "aoife").replaceAll("value=\"[^\"]{43}\"", ""))
        .isEqualTo(wrongPassword.body().replaceAll("value=\"[^\"]{43}\"", ""));
  }

  @Test
  void everyLoginIsAuditedAndNothingTypedThatCannotBeAUsernameIsKept() {
    logIn(dev().browser(), "aoife", PASSWORD + "x");
    logIn(dev().browser(), "correct horse battery staple lime", ""); // a password in the name
    logIn(dev().browser(), "aoife", PASSWORD);
    var entries =
        TestDatabases.rows(
            dev().database(),
            "SELECT actor, action, target, client, outcome, detail FROM audit_log"
                + " WHERE action = 'login' ORDER BY id");
    assertThat(entries)
        .containsExactly(
            "-|login|aoife|127.0.0.1|refused|wrong username or password, or not allowed to log in",
            "-|login|-|127.0.0.1|refused|wrong username or password, or not allowed to log in",
            "aoife|login|aoife|127.0.0.1|done|");
    assertThat(String.join("\n", entries)).doesNotContain("horse");

    for (int i = 0; i < 5; i++) {
      logIn(dev().browser(), "aoife", "wrong password " + i);
    }
    logIn(dev().browser(), "aoife", PASSWORD);
    assertThat(
            TestDatabases.rows(
                dev().database(),
                "SELECT detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1"))
        .singleElement()
        .asString()
        .startsWith("throttled: too many failures, again in ");
  }

  @Test
  void loggingInAgainReplacesTheSessionAndEndsTheOldOne() {
    Browser browser = dev().browser();
    assertThat(logIn(browser, "aoife", PASSWORD).statusCode()).isEqualTo(303);
    String first = String.valueOf(browser.cookie("session"));
    HttpResponse<String> again = logIn(browser, "aoife", PASSWORD);
    assertThat(again.headers().allValues("Set-Cookie"))
        .singleElement()
        .asString()
        .matches("session=[A-Za-z0-9_-]{43};.*")
        .doesNotContain(first);
    // The id the browser held before logging in, valid until then, is worth nothing after.
    Browser replay = dev().browser();
    replay.plantCookie("session", first);
    assertThat(replay.get("/account").statusCode()).isEqualTo(303);
    assertThat(browser.get("/account").statusCode()).isEqualTo(200);
  }

  @Test
  void sessionsEndAfterIdlingAndAfterTwelveHoursWhatever() {
    Browser idle = dev().browser();
    logIn(idle, "aoife", PASSWORD);
    clock.advance(Duration.ofMinutes(31));
    assertThat(idle.get("/account").statusCode()).isEqualTo(303);

    Browser busy = dev().browser();
    logIn(busy, "aoife", PASSWORD);
    for (int i = 0; i < 30; i++) { // 30 x 25 minutes: never idle, but past twelve hours
      clock.advance(Duration.ofMinutes(25));
      int status = busy.get("/account").statusCode();
      if (Duration.ofMinutes(25L * (i + 1)).compareTo(Duration.ofHours(12)) < 0) {
        assertThat(status).as("after %d minutes", 25 * (i + 1)).isEqualTo(200);
      } else {
        assertThat(status).as("after %d minutes", 25 * (i + 1)).isEqualTo(303);
      }
    }
  }

  @Test
  void repeatedFailuresSlowTheClientDownUntilTheWindowPasses() {
    Browser browser = dev().browser();
    for (int i = 0; i < 5; i++) {
      assertThat(logIn(browser, "aoife", "wrong password " + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> slowed = logIn(browser, "aoife", PASSWORD);
    assertThat(slowed.statusCode()).isEqualTo(429);
    assertThat(slowed.headers().firstValue("Retry-After")).isPresent();
    assertThat(slowed.body()).contains("Too many failed attempts");

    clock.advance(Duration.ofMinutes(15));
    assertThat(logIn(browser, "aoife", PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void loginAndLogoutFormsNeedTheirToken() {
    Browser browser = dev().browser();
    browser.get("/login");
    assertThat(
            browser
                .postExactly("/login", Map.of("username", "aoife", "password", PASSWORD))
                .statusCode())
        .isEqualTo(403);
    logIn(browser, "aoife", PASSWORD);
    assertThat(browser.postExactly("/logout", Map.of()).statusCode()).isEqualTo(403);
    assertThat(browser.get("/account").statusCode()).isEqualTo(200); // still logged in
  }

  private boolean canBind(String password) throws Exception {
    return dev().canBind("aoife", password);
  }

  @Test
  void changingThePasswordEndsOtherSessionsAndSaysSoByMailWithoutThePassword() throws Exception {
    String replacement = "violet anchor gravel pocket";
    Browser here = dev().browser();
    Browser elsewhere = dev().browser();
    logIn(here, "aoife", PASSWORD);
    logIn(elsewhere, "aoife", PASSWORD);
    here.get("/account");

    HttpResponse<String> changed =
        here.submit(
            "/account/password",
            "current-password",
            PASSWORD,
            "new-password",
            replacement,
            "new-password-again",
            replacement);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).contains("Your password is changed");
    assertThat(canBind(replacement)).isTrue();
    assertThat(canBind(PASSWORD)).isFalse();
    assertThat(here.get("/account").statusCode()).isEqualTo(200);
    assertThat(elsewhere.get("/account").statusCode()).isEqualTo(303);

    DevMail notice = awaitMail("aoife.murphy@example.com", "Your Skynet password was changed");
    assertThat(notice.plainText()).contains("aoife").doesNotContain(replacement);
  }

  @Test
  void aRefusedPasswordChangeSaysWhyAndChangesNothing() throws Exception {
    Browser browser = dev().browser();
    logIn(browser, "aoife", PASSWORD);
    browser.get("/account");
    HttpResponse<String> wrongCurrent =
        browser.post(
            "/account/password",
            "current-password",
            "not it at all",
            "new-password",
            "violet anchor gravel pocket",
            "new-password-again",
            "violet anchor gravel pocket");
    assertThat(wrongCurrent.statusCode()).isEqualTo(422);
    assertThat(wrongCurrent.body()).contains("That is not your current password.");
    HttpResponse<String> weak =
        browser.post(
            "/account/password",
            "current-password",
            PASSWORD,
            "new-password",
            "password1234",
            "new-password-again",
            "password1234");
    assertThat(weak.statusCode()).isEqualTo(422);
    assertThat(weak.body()).contains("commonly used").doesNotContain("password1234");
    HttpResponse<String> differ =
        browser.post(
            "/account/password",
            "current-password",
            PASSWORD,
            "new-password",
            "violet anchor gravel pocket",
            "new-password-again",
            "violet anchor gravel pockets");
    assertThat(differ.statusCode()).isEqualTo(422);
    assertThat(differ.body()).contains("This is not the same as the new password above");
    assertThat(canBind(PASSWORD)).isTrue();
  }

  private DevMail awaitMail(String to, String subject) throws InterruptedException {
    return dev().awaitMail(to, subject);
  }

  @Test
  void aForgottenUsernameIsMailedAndThePageNeverSaysWhetherTheAddressHasOne() throws Exception {
    Browser browser = dev().browser();
    HttpResponse<String> form = browser.get("/recover/username");
    assertThat(form.body()).contains("<label for=\"email\">");

    HttpResponse<String> known =
        browser.post("/recover/username", "email", "Aoife.Murphy@example.com");
    HttpResponse<String> unknown = browser.post("/recover/username", "email", "nobody@example.net");
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(unknown.body().replace("nobody@example.net", "ADDRESS"))
        .isEqualTo(known.body().replace("Aoife.Murphy@example.com", "ADDRESS"));

    assertThat(awaitMail("aoife.murphy@example.com", "Your Skynet username").plainText())
        .contains("Its username is:")
        .contains("  aoife");
    assertThat(awaitMail("nobody@example.net", "No Skynet account uses this address").plainText())
        .contains("No Skynet account uses it")
        .contains("/signup");

    HttpResponse<String> again =
        browser.post("/recover/username", "email", "aoife.murphy@example.com");
    assertThat(again.statusCode()).isEqualTo(429); // one mail a minute per address, for anyone
    assertThat(again.body()).contains("You can ask again in");
  }

  private static String linkIn(DevMail mail) {
    return OneMemberDev.linkIn(mail);
  }

  @Test
  void aForgottenPasswordIsResetOnceByMailedLinkAndEverySessionEnds() throws Exception {
    String replacement = "violet anchor gravel pocket";
    Browser loggedIn = dev().browser();
    logIn(loggedIn, "aoife", PASSWORD);

    Browser browser = dev().browser();
    assertThat(browser.get("/recover/password").body()).contains("<label for=\"user\">");
    HttpResponse<String> known = browser.post("/recover/password", "user", "aoife");
    HttpResponse<String> unknown = browser.post("/recover/password", "user", "nosuchuser");
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(unknown.body().replace("nosuchuser", "aoife")).isEqualTo(known.body());

    String link = linkIn(awaitMail("aoife.murphy@example.com", "Choose a new Skynet password"));
    assertThat(browser.get(link).statusCode()).isEqualTo(200); // opening never spends it
    HttpResponse<String> form = browser.get(link);
    assertThat(form.body()).contains("<strong>aoife</strong>").contains("<label for=\"password\">");

    HttpResponse<String> weak =
        browser.post(link, "password", "password1234", "password-again", "password1234");
    assertThat(weak.statusCode()).isEqualTo(422);
    assertThat(weak.body()).contains("commonly used");
    HttpResponse<String> done =
        browser.submit(link, "password", replacement, "password-again", replacement);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body()).contains("Your password is changed. Log in with it.");
    assertThat(browser.get("/account").statusCode()).isEqualTo(303); // no automatic login

    assertThat(canBind(replacement)).isTrue();
    assertThat(canBind(PASSWORD)).isFalse();
    assertThat(loggedIn.get("/account").statusCode()).isEqualTo(303);
    HttpResponse<String> again =
        browser.post(link, "password", PASSWORD, "password-again", PASSWORD);
    assertThat(again.statusCode()).isEqualTo(410);
    assertThat(canBind(replacement)).isTrue();
    assertThat(
            awaitMail("aoife.murphy@example.com", "Your Skynet password was changed").plainText())
        .doesNotContain(replacement);
  }

  @Test
  void aResetLinkAskedForByAddressExpiresAfterAnHour() throws Exception {
    Browser browser = dev().browser();
    browser.get("/recover/password");
    browser.post("/recover/password", "user", "AOIFE.MURPHY@example.com");
    String link = linkIn(awaitMail("aoife.murphy@example.com", "Choose a new Skynet password"));
    clock.advance(Duration.ofMinutes(61));
    HttpResponse<String> expired = browser.get(link);
    assertThat(expired.statusCode()).isEqualTo(410);
    assertThat(expired.body()).contains("This link has expired");
    assertThat(browser.get("/recover/password/" + "A".repeat(43)).statusCode()).isEqualTo(404);
    assertThat(canBind(PASSWORD)).isTrue();
  }

  @Test
  void guessesSentAllAtOnceAreThrottledAsIfSentOneByOne() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < 20; i++) {
        String guess = "wrong guess number " + i;
        results.add(pool.submit(() -> logIn(dev().browser(), "aoife", guess).statusCode()));
      }
      int refused = 0;
      for (var result : results) {
        int status = result.get();
        assertThat(status).isIn(401, 429);
        refused += status == 401 ? 1 : 0;
      }
      assertThat(refused).isEqualTo(5); // the limit for one account from one client
    } finally {
      pool.shutdownNow();
    }
    // Another spelling of the name is not another account to guess at.
    assertThat(logIn(dev().browser(), "ＡＯＩＦＥ", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(logIn(dev().browser(), "AOIFE", PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  void usingOneResetLinkSpendsTheOthers() throws Exception {
    Browser browser = dev().browser();
    browser.get("/recover/password");
    browser.post("/recover/password", "user", "aoife");
    String first = linkIn(awaitMail("aoife.murphy@example.com", "Choose a new Skynet password"));
    clock.advance(Duration.ofMinutes(2)); // past the one-a-minute limit
    browser.post("/recover/password", "user", "aoife");
    String second =
        linkIn(
            dev()
                .awaitMail(
                    "with a second reset link",
                    m ->
                        m.subject().equals("Choose a new Skynet password")
                            && !linkIn(m).equals(first)));
    String replacement = "violet anchor gravel pocket";
    assertThat(
            browser
                .submit(second, "password", replacement, "password-again", replacement)
                .statusCode())
        .isEqualTo(200);
    assertThat(browser.get(first).statusCode()).isEqualTo(410);
    assertThat(browser.post(first, "password", PASSWORD, "password-again", PASSWORD).statusCode())
        .isEqualTo(410);
    assertThat(canBind(replacement)).isTrue();
  }

  @Test
  void oneClientGuessingAtManyNamesIsStoppedAtItsOwnLimit() {
    for (int i = 0; i < 30; i++) { // login.client-failures, by default
      assertThat(logIn(dev().browser(), "someone" + i, PASSWORD).statusCode()).isEqualTo(401);
    }
    assertThat(logIn(dev().browser(), "aoife", PASSWORD).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofMinutes(15));
    assertThat(logIn(dev().browser(), "aoife", PASSWORD).statusCode()).isEqualTo(303);
  }
}
