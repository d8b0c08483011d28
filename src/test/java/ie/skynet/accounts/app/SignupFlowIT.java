package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import ie.skynet.accounts.RefusingPort;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.dev.DevMailbox;
import ie.skynet.accounts.templates.Pages;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole signup through real HTTP, as {@code accounts dev} runs it: SQLite file, in-memory LDAP,
 * GreenMail, the outbox worker on its schedule, and a browser without JavaScript.
 */
class SignupFlowIT {
  private static final String PASSWORD = "correct horse battery staple lime";

  @TempDir Path data;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private @Nullable Running running;
  private @Nullable DevMailbox restartedMailbox;

  /** Where the browser goes: not the configured base URL's host, so links cannot echo it. */
  private String base = "";

  private String configuredBase = "";

  private Running start(@Nullable Path members) {
    App app = App.dev(new DevOptions(0, 0, 0, data, members), Map.of(), clock);
    app.database().migrate();
    app.serving().loadDevMembers();
    Running started = app.start();
    running = started;
    base = "http://127.0.0.1:" + started.port();
    configuredBase = "http://localhost:" + started.port();
    return started;
  }

  private Running start() {
    return start(null);
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
    if (restartedMailbox != null) {
      restartedMailbox.close();
    }
  }

  private DevMailbox mailbox() {
    return java.util.Objects.requireNonNull(running).dev().mailbox;
  }

  private Database database() {
    return new Database(TestDatabases.in(data));
  }

  private static <T> T await(String what, Supplier<@Nullable T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** The newest mail to this address with this subject, once it has arrived. */
  private DevMail mailTo(DevMailbox mailbox, String to, String subject)
      throws InterruptedException {
    return await(
        subject + " to " + to,
        () ->
            mailbox.mails().stream()
                .filter(m -> m.to().equalsIgnoreCase(to) && m.subject().equals(subject))
                .findFirst()
                .orElse(null));
  }

  private String askForLink(Browser browser, String email) throws InterruptedException {
    browser.get("/signup");
    assertThat(browser.post("/signup", "email", email).statusCode()).isEqualTo(200);
    DevMail mail = mailTo(mailbox(), email, "Choose your Skynet username and password");
    assertThat(mail.links()).hasSize(1);
    return mail.links().get(0).replace(configuredBase, base);
  }

  private HttpResponse<String> choose(
      Browser browser, String link, String username, String password) {
    return browser.submit(
        link, "username", username, "password", password, "password-again", password);
  }

  private static boolean canBind(int port, String username, String password) throws LDAPException {
    try (LDAPConnection connection = new LDAPConnection("127.0.0.1", port)) {
      connection.bind("uid=" + username + "," + DevDirectory.USERS, password);
      return true;
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        return false;
      }
      throw e;
    }
  }

  @Test
  void aMemberGoesFromTheFormToAnLdapBindWithTheirNewPassword() throws Exception {
    Running app = start();
    Browser browser = new Browser(base);

    HttpResponse<String> home = browser.get("/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body())
        .contains("href=\"/signup\"")
        .contains(
            "<a href=\"https://ulwolves.ie/society/computer\">Join the society on Wolves</a>");
    HttpResponse<String> form = browser.get("/signup");
    assertThat(form.body()).contains("<label for=\"email\">").contains("name=\"csrf\"");

    HttpResponse<String> sent = browser.post("/signup", "email", "aoife.murphy@example.com");
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(sent.body()).contains("Check your email").contains("Send it again");

    // The mailbox as an operator sees it, over HTTP.
    JsonNode mails =
        await(
            "the link in /dev/mail.json",
            () -> {
              JsonNode list = json(browser.get("/dev/mail.json").body());
              return list.size() > 0 ? list : null;
            });
    JsonNode verify = mails.get(0);
    assertThat(verify.get("to").asText()).isEqualTo("aoife.murphy@example.com");
    String mailed = verify.get("links").get(0).asText();
    assertThat(mailed).startsWith(configuredBase + "/signup/"); // the base URL, not the Host header
    assertThat(browser.get("/dev/mail").body()).contains("<a href=\"" + mailed + "\">");
    String link = mailed.replace(configuredBase, base);

    HttpResponse<String> choose = browser.get(link);
    assertThat(choose.statusCode()).isEqualTo(200);
    assertThat(choose.body())
        .contains("aoife.murphy@example.com")
        .contains("<label for=\"username\">")
        .contains("<label for=\"password\">");

    HttpResponse<String> done = choose(browser, link, "aoife", PASSWORD);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body())
        .contains("Your account is ready")
        .contains("<strong>aoife</strong>")
        .contains("<pre><code>ssh aoife@skynet.ie</code></pre>")
        .contains("<a href=\"https://skynet.ie\">");

    int ldapPort = app.dev().directory.getListenPort();
    assertThat(canBind(ldapPort, "aoife", PASSWORD)).isTrue();
    assertThat(canBind(ldapPort, "aoife", PASSWORD + "x")).isFalse();
    SearchResultEntry group = app.dev().directory.getEntry(DevDirectory.MEMBERS);
    assertThat(group.getAttributeValues("memberUid")).containsExactly("aoife");
    DevMail welcome = mailTo(mailbox(), "aoife.murphy@example.com", "Welcome to Skynet");
    assertThat(welcome.plainText())
        .contains("aoife")
        .contains("    ssh aoife@skynet.ie")
        .contains(configuredBase + "/account")
        .contains("https://skynet.ie");
    assertThat(welcome.html()).startsWith("<!DOCTYPE html>").contains("ssh aoife@skynet.ie");
    // The dev mailbox shows the text and links the HTML part, served whole with its own policy.
    assertThat(browser.get("/dev/mail").body())
        .contains("<a href=\"/dev/mail/" + welcome.number() + ".html\">Open the HTML part</a>");
    HttpResponse<String> htmlPart = browser.get("/dev/mail/" + welcome.number() + ".html");
    assertThat(htmlPart.body()).isEqualTo(welcome.html());
    assertThat(htmlPart.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'; style-src-attr 'unsafe-inline';");
    assertThat(browser.get("/dev/mail/999.html").statusCode()).isEqualTo(404);
    assertThat(welcome.html()).contains("<meta name=\"color-scheme\"");
    assertThat(TestDatabases.rows(database(), "SELECT username, id_wolves FROM accounts"))
        .containsExactly("aoife|W200001");
  }

  @Test
  void devKeepsAccountsAcrossARestartAndForgetsThoseACrashLost() throws Exception {
    start();
    Browser browser = new Browser(base);
    choose(browser, askForLink(browser, "aoife.murphy@example.com"), "aoife", PASSWORD);
    java.util.Objects.requireNonNull(running).close();
    running = null;

    Running again = start(); // the same data directory: the saved directory is loaded
    assertThat(canBind(again.dev().directory.getListenPort(), "aoife", PASSWORD)).isTrue();
    again.close();
    running = null;

    Files.delete(data.resolve("directory.ldif")); // as if the last run had crashed
    start();
    assertThat(TestDatabases.rows(database(), "SELECT * FROM accounts")).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    Browser later = new Browser(base);
    later.get("/signup");
    later.post("/signup", "email", "aoife.murphy@example.com");
    mailTo(mailbox(), "aoife.murphy@example.com", "Choose your Skynet username and password");
  }

  @Test
  void everyKindOfAddressGetsTheSameResponseAndItsOwnMail() throws Exception {
    start();
    Browser browser = new Browser(base);
    choose(browser, askForLink(browser, "aoife.murphy@example.com"), "aoife", PASSWORD);

    clock.advance(Duration.ofMinutes(2)); // past the one-a-minute limit on asking again
    Map<String, HttpResponse<String>> responses = new TreeMap<>();
    List<String> addresses =
        List.of(
            "aoife.murphy@example.com", // member with an account
            "sean.obriain@example.com", // member without one
            "roisin.walsh@example.com", // lapsed member
            "stranger@example.net"); // never a member
    browser.get("/signup");
    for (String address : addresses) {
      responses.put(address, browser.post("/signup", "email", address));
    }
    for (String address : addresses) {
      HttpResponse<String> response = responses.get(address);
      HttpResponse<String> first = responses.get(addresses.get(0));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body().replace(address, "ADDRESS"))
          .isEqualTo(first.body().replace(addresses.get(0), "ADDRESS"));
      assertThat(headers(response)).isEqualTo(headers(first));
    }
    assertThat(
            mailTo(mailbox(), "aoife.murphy@example.com", "You already have a Skynet account")
                .plainText())
        .contains("aoife")
        .contains(configuredBase + "/recover/password");
    mailTo(mailbox(), "sean.obriain@example.com", "Choose your Skynet username and password");
    // The page told them all the same; each mail, to the address's owner, says what fits.
    assertThat(
            mailTo(
                    mailbox(),
                    "roisin.walsh@example.com",
                    "Your Skynet membership has ended: how to renew")
                .plainText())
        .contains("Hello Róisín,")
        .contains("https://ulwolves.ie/society/computer")
        .doesNotContain("still here");
    assertThat(
            mailTo(
                    mailbox(),
                    "stranger@example.net",
                    "Skynet signup: this address is not on our membership list yet")
                .plainText())
        .contains("If you joined on Wolves recently")
        .contains("https://ulwolves.ie/society/computer")
        .doesNotContain("Róisín");
  }

  /**
   * An address no membership can have (no domain, a domain without its ending) is a typo: the form
   * says so beside the field and keeps it, instead of "we have sent a mail" and a mail that cannot
   * go anywhere.
   */
  @Test
  void anAddressWithoutAWholeDomainIsRefusedOnTheFormAndNoMailIsQueued() throws Exception {
    start();
    Browser browser = new Browser(base);
    browser.get("/signup");
    for (String typo : List.of("aoife.murphy@", "aoife.murphy@example", "aoife.murphy@example.")) {
      HttpResponse<String> refused = browser.post("/signup", "email", typo);
      assertThat(refused.statusCode()).as(typo).isEqualTo(422);
      assertThat(refused.body())
          .as(typo)
          .contains("with its domain after the @, such as name@example.com")
          .contains("value=\"" + typo + "\"")
          .doesNotContain("Check your email");
    }
    // The next real request's mail is the only one made.
    askForLink(browser, "sean.obriain@example.com");
    assertThat(mailbox().mails())
        .singleElement()
        .satisfies(m -> assertThat(m.to()).isEqualTo("sean.obriain@example.com"));
  }

  @Test
  void openingTheLinkNeverSpendsItAndTheFormSpendsItOnce() throws Exception {
    start();
    Browser browser = new Browser(base);
    String link = askForLink(browser, "tadhg.byrne@example.com");

    // Mail scanners and a second look open the link; it still works.
    assertThat(browser.get(link).statusCode()).isEqualTo(200);
    assertThat(browser.get(link).statusCode()).isEqualTo(200);
    assertThat(choose(browser, link, "tadhg", PASSWORD).statusCode()).isEqualTo(200);

    HttpResponse<String> again = choose(browser, link, "tadhg2", PASSWORD);
    assertThat(again.statusCode()).isEqualTo(410);
    assertThat(again.body()).contains("This link has been used");
    assertThat(browser.get(link).body()).contains("This link has been used");
    assertThat(TestDatabases.rows(database(), "SELECT username FROM accounts"))
        .containsExactly("tadhg");
  }

  @Test
  void refusedChoicesAreExplainedOnTheFormAndKeepTheLinkGood() throws Exception {
    start();
    Browser browser = new Browser(base);
    String link = askForLink(browser, "cillian.doherty@example.com");

    HttpResponse<String> reserved = choose(browser, link, "root", PASSWORD);
    assertThat(reserved.statusCode()).isEqualTo(422);
    assertThat(reserved.body()).contains("reserved").contains("aria-invalid=\"true\"");
    // Only the name was refused: the two passwords are filled in again (issue 15, 7).
    assertThat(reserved.body()).contains("value=\"" + PASSWORD + "\"");
    HttpResponse<String> spaced = choose(browser, link, "Cillian Doherty", PASSWORD);
    assertThat(spaced.statusCode()).isEqualTo(422);
    assertThat(spaced.body())
        .contains("A username cannot hold a space.")
        .containsOnlyOnce("Choose 2 to 31 characters");
    HttpResponse<String> weak = choose(browser, link, "cillian", "password1234");
    assertThat(weak.statusCode()).isEqualTo(422);
    assertThat(weak.body()).contains("commonly used").contains("value=\"cillian\"");
    assertThat(weak.body()).doesNotContain("password1234"); // never echoed back
    HttpResponse<String> differ =
        browser.post(link, "username", "cillian", "password", PASSWORD, "password-again", "other");
    assertThat(differ.statusCode()).isEqualTo(422);
    assertThat(differ.body())
        .contains("This is not the same as the password above")
        .contains("aria-describedby=\"password-again-error\"")
        .doesNotContain("value=\"" + PASSWORD + "\"");

    assertThat(choose(browser, link, "cillian", PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredForeignOrMadeUpLinkIsRefusedAndExplained() throws Exception {
    Running app = start();
    Browser browser = new Browser(base);
    String expiring = askForLink(browser, "sean.obriain@example.com");
    String foreign = askForLink(browser, "cillian.doherty@example.com");

    TestDatabases.execute(
        database(),
        "UPDATE links SET purpose = 'password-reset' WHERE address = 'cillian.doherty@example.com'");
    HttpResponse<String> wrongPurpose = browser.get(foreign);
    assertThat(wrongPurpose.statusCode()).isEqualTo(404);
    assertThat(wrongPurpose.body()).contains("This link does not work");
    assertThat(choose(browser, foreign, "cillian", PASSWORD).statusCode()).isEqualTo(404);

    HttpResponse<String> madeUp = browser.get("/signup/" + "A".repeat(43));
    assertThat(madeUp.statusCode()).isEqualTo(404);
    assertThat(browser.get("/signup/short").statusCode()).isEqualTo(404);

    clock.advance(Duration.ofHours(24).plusSeconds(1));
    HttpResponse<String> expired = browser.get(expiring);
    assertThat(expired.statusCode()).isEqualTo(410);
    assertThat(expired.body()).contains("This link has expired").contains("href=\"/signup\"");
    assertThat(choose(browser, expiring, "sean", PASSWORD).statusCode()).isEqualTo(410);

    assertThat(app.dev().directory.countEntriesBelow(DevDirectory.USERS)).isEqualTo(1); // ou only
    assertThat(TestDatabases.rows(database(), "SELECT * FROM accounts")).isEmpty();
  }

  @Test
  void formsWithoutThisBrowsersTokenAreRefusedAndDoNothing() throws Exception {
    start();
    Browser browser = new Browser(base);
    browser.get("/signup");

    HttpResponse<String> none =
        browser.postExactly("/signup", Map.of("email", "aoife.murphy@example.com"));
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(none.body()).contains("This form has expired");

    // A token from another browser (another cookie) does not fit this one.
    Browser other = new Browser(base);
    String otherToken = csrfOf(other.get("/signup").body());
    HttpResponse<String> foreign =
        browser.postExactly(
            "/signup", Map.of("csrf", otherToken, "email", "aoife.murphy@example.com"));
    assertThat(foreign.statusCode()).isEqualTo(403);

    // Nothing was asked: no request waits for the background pass, nor was any answered into
    // queued mail (a pass does both in one transaction; one statement reads both at one moment).
    // Read now, this needs no waiting for the pass.
    assertThat(
            TestDatabases.rows(
                database(),
                "SELECT (SELECT count(*) FROM asks) || ' ' || (SELECT count(*) FROM"
                    + " mail_outbox)"))
        .containsExactly("0 0");
  }

  @Test
  void pagesCarryTheSecurityHeadersAndTheSessionCookieIsLocked() throws Exception {
    start();
    Browser browser = new Browser(base);
    for (String path : List.of("/", "/signup", "/no-such-page")) {
      HttpResponse<String> page = browser.get(path);
      var headers = page.headers();
      assertThat(headers.firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'")
          .contains("frame-ancestors 'none'")
          .contains("form-action 'self'");
      assertThat(headers.firstValue("Referrer-Policy")).hasValue("same-origin");
      assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(headers.firstValue("Content-Type").orElseThrow().replace(" ", ""))
          .isEqualToIgnoringCase("text/html;charset=utf-8");
      assertThat(headers.firstValue("Strict-Transport-Security")).isEmpty(); // plain http here
    }
    assertThat(browser.get("/no-such-page").statusCode()).isEqualTo(404);
    String cookie =
        new Browser(base).get("/signup").headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
    assertThat(browser.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void fiftyMembersRacingForOneUsernameOverHttpMakeExactlyOneAccount() throws Exception {
    Path export = data.resolve("fifty.csv");
    StringBuilder csv =
        new StringBuilder("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry\n");
    for (int i = 0; i < 50; i++) {
      csv.append("W9%04d,,Racer,Number%d,racer%d@example.com,2027-08-31\n".formatted(i, i, i));
    }
    Files.writeString(export, csv);
    Running app = start(export);

    List<Browser> browsers = new ArrayList<>();
    List<String> links = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Browser browser = new Browser(base);
      links.add(askForLink(browser, "racer" + i + "@example.com"));
      browsers.add(browser);
    }
    List<Callable<Integer>> racers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Browser browser = browsers.get(i);
      String link = links.get(i);
      browser.get(link);
      racers.add(() -> choose(browser, link, "popular", PASSWORD).statusCode());
    }
    List<Integer> statuses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
      for (Future<Integer> result : pool.invokeAll(racers)) {
        statuses.add(result.get());
      }
    }
    assertThat(statuses).containsOnly(200, 422).containsOnlyOnce(200);
    assertThat(TestDatabases.rows(database(), "SELECT username FROM accounts"))
        .containsExactly("popular");
    assertThat(app.dev().directory.countEntriesBelow(DevDirectory.USERS)).isEqualTo(2);
  }

  @Test
  void mailQueuedWhileTheMailServerIsDownIsDeliveredOnceItIsBack() throws Exception {
    start();
    int smtpPort = mailbox().port();
    // Dev's mail settings name this port, so the server must come back on it. Meanwhile a socket
    // that refuses holds it: it is free only for the moment between closing one and binding the
    // next, not the whole outage for anything else to take.
    mailbox().close();
    try (RefusingPort down = RefusingPort.holding(smtpPort)) {
      Browser browser = new Browser(base);
      browser.get("/signup");
      HttpResponse<String> sent = browser.post("/signup", "email", "eoin.kelly@example.com");
      assertThat(sent.statusCode()).isEqualTo(200); // the member sees nothing wrong

      await(
          "a failed attempt",
          () ->
              TestDatabases.rows(
                          database(), "SELECT attempts FROM mail_outbox WHERE status = 'pending'")
                      .equals(List.of("1"))
                  ? true
                  : null);
    }
    DevMailbox back = DevMailbox.start(smtpPort, new Pages());
    restartedMailbox = back;
    clock.advance(Duration.ofMinutes(1)); // past the first backoff
    DevMail mail =
        mailTo(back, "eoin.kelly@example.com", "Choose your Skynet username and password");
    assertThat(mail.links()).hasSize(1);
    // The catcher has it; the worker marks it sent a moment later, on its second attempt.
    await(
        "the mail marked sent",
        () ->
            TestDatabases.rows(database(), "SELECT status, attempts FROM mail_outbox")
                    .equals(List.of("sent|2"))
                ? true
                : null);
  }

  @Test
  void theDirectoryFailingMidCreationLeavesNothingAndTheSameLinkWorksAfter() throws Exception {
    Running app = start();
    Browser browser = new Browser(base);
    String link = askForLink(browser, "tadhg.byrne@example.com");
    browser.get(link);

    // The entry can be added, but joining the members group then fails.
    var group = app.dev().directory.getEntry(DevDirectory.MEMBERS);
    app.dev().directory.delete(DevDirectory.MEMBERS);
    HttpResponse<String> failed = choose(browser, link, "tadhg", PASSWORD);
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.body()).contains("has been undone. Your link still works");
    assertThat(app.dev().directory.countEntriesBelow(DevDirectory.USERS)).isEqualTo(1);
    assertThat(TestDatabases.rows(database(), "SELECT * FROM accounts")).isEmpty();

    app.dev().directory.add(group);
    assertThat(choose(browser, link, "tadhg", PASSWORD).statusCode()).isEqualTo(200);
    assertThat(canBind(app.dev().directory.getListenPort(), "tadhg", PASSWORD)).isTrue();
  }

  private static JsonNode json(String body) {
    try {
      return new ObjectMapper().readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(body, e);
    }
  }

  private static String csrfOf(String page) {
    var matcher = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(page);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }

  /** The headers a response's meaning could hide in: all but the date. */
  private static Map<String, List<String>> headers(HttpResponse<String> response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    headers.remove("date");
    headers.remove("content-length"); // differs by the address's length, which the sender knows
    return headers;
  }
}
