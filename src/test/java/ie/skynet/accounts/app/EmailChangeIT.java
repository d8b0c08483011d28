package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.EMAIL;
import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.SearchResultEntry;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Changing the contact address on the account page, over real HTTP against the dev stack. */
class EmailChangeIT extends WithOneMember {
  private static final String NEW = "aoife@new.example.net";
  private static final String CONFIRM = "Confirm your new Skynet contact address";

  private HttpResponse<String> ask(Browser browser, String email, String password) {
    browser.get("/account");
    return browser.submit("/account/email", "new-email", email, "password", password);
  }

  private SearchResultEntry entry(String dn) throws Exception {
    return dev().running.dev().directory.getEntry(dn);
  }

  @Test
  void theNewAddressIsProvedByMailThenTheOldOneIsTold() throws Exception {
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    // A reset link mailed to the old address before the change must not outlive it.
    Browser other = dev().browser();
    other.get("/recover/password");
    other.post("/recover/password", "user", "aoife");
    String reset = OneMemberDev.linkIn(dev().awaitMail(EMAIL, "Choose a new Skynet password"));

    HttpResponse<String> asked = ask(browser, NEW, PASSWORD);
    assertThat(asked.statusCode()).isEqualTo(200);
    assertThat(asked.body()).contains("We have mailed a link to " + NEW);
    DevMail verify = dev().awaitMail(NEW, CONFIRM);
    // The address in use hears of it at once, not only once it is done.
    assertThat(
            dev()
                .awaitMail(EMAIL, "A new contact address was asked for your Skynet account")
                .plainText())
        .contains(NEW);
    assertThat(verify.plainText()).contains("aoife");
    String link = OneMemberDev.linkIn(verify);
    // Nothing changes before the link is used, and opening it (as mail scanners do) uses nothing.
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("mail")).isEqualTo(EMAIL);
    Browser fromMail = dev().browser();
    assertThat(fromMail.get(link).body()).contains(NEW).contains("Confirm the address");
    assertThat(fromMail.get(link).statusCode()).isEqualTo(200);

    HttpResponse<String> confirmed = fromMail.submit(link);
    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertThat(confirmed.body()).contains("is now " + NEW);
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("mail")).isEqualTo(NEW);
    assertThat(TestDatabases.rows(dev().database(), "SELECT email FROM accounts"))
        .containsExactly(NEW);
    DevMail told = dev().awaitMail(EMAIL, "Your Skynet contact address was changed");
    assertThat(told.plainText()).contains(NEW).contains("aoife");
    assertThat(browser.get("/account").body()).contains(NEW);

    assertThat(fromMail.post(link).statusCode()).isEqualTo(410); // once only
    assertThat(other.get(reset).statusCode()).isEqualTo(410);
    assertThat(
            TestDatabases.rows(
                dev().database(),
                "SELECT actor, action, target, outcome FROM audit_log"
                    + " WHERE action NOT IN ('login', 'import', 'account-created')"))
        .containsExactly("aoife|email-change-asked|aoife|done", "-|email-changed|aoife|done");
  }

  @Test
  void aWrongPasswordOrBadAddressChangesNothingAndMailsNobody() throws Exception {
    List<String> queuedBefore = TestDatabases.rows(dev().database(), QUEUED);
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    HttpResponse<String> wrong = ask(browser, NEW, "not my password");
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body()).contains("That is not your current password.");
    HttpResponse<String> bad = ask(browser, "Aoife <a@b.example>", PASSWORD);
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("Enter one email address");
    HttpResponse<String> same = ask(browser, EMAIL.toUpperCase(java.util.Locale.ROOT), PASSWORD);
    assertThat(same.statusCode()).isEqualTo(422);
    assertThat(same.body()).contains("already your contact address");
    // Without the form's token, nothing happens either.
    assertThat(
            browser
                .postExactly("/account/email", Map.of("new-email", NEW, "password", PASSWORD))
                .statusCode())
        .isEqualTo(403);
    // Not logged in: to the login page.
    Browser stranger = dev().browser();
    stranger.get("/login");
    assertThat(stranger.post("/account/email", "new-email", NEW, "password", PASSWORD).statusCode())
        .isEqualTo(303);
    // A change is asked and its mails queued in the request's own transaction, and mail leaves
    // only through the outbox: nothing new there now means nobody is mailed, now or by a later
    // pass of the worker. No waiting for one.
    assertThat(TestDatabases.rows(dev().database(), QUEUED)).isEqualTo(queuedBefore);
    assertThat(
            TestDatabases.rows(
                dev().database(), "SELECT count(*) FROM links WHERE purpose = 'email-change'"))
        .containsExactly("0");
    assertThat(dev().running.dev().mailbox.mails()).noneMatch(m -> m.subject().equals(CONFIRM));
  }

  /** Mail queued or sent, and requests a background pass would still answer with mail. */
  private static final String QUEUED =
      "SELECT (SELECT count(*) FROM asks WHERE kind = 'signup') || ' ' || (SELECT count(*) FROM"
          + " asks WHERE kind <> 'signup') || ' ' || (SELECT count(*) FROM mail_outbox)";

  @Test
  void aLinkExpiresAfterADayAndAMadeUpOneIsUnknown() throws Exception {
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    ask(browser, NEW, PASSWORD);
    String link = OneMemberDev.linkIn(dev().awaitMail(NEW, CONFIRM));
    clock.advance(Duration.ofHours(24));
    Browser fromMail = dev().browser();
    assertThat(fromMail.get(link).statusCode()).isEqualTo(410);
    assertThat(fromMail.get(link).body()).contains("expired");
    assertThat(fromMail.get("/account/email/" + "A".repeat(43)).statusCode()).isEqualTo(404);
    // A link is only ever good for its own purpose.
    String token = link.substring(link.lastIndexOf('/') + 1);
    assertThat(fromMail.get("/recover/password/" + token).statusCode()).isEqualTo(404);
    assertThat(fromMail.get("/signup/" + token).statusCode()).isEqualTo(404);
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("mail")).isEqualTo(EMAIL);
  }

  /** Aoife's membership lapsed, her account has this status and left the members group. */
  private void lapse(String status) throws Exception {
    TestDatabases.execute(
        dev().database(),
        "UPDATE accounts_wolves SET expiry = '2025-08-31' WHERE id_wolves = 'W200001'",
        "UPDATE accounts SET status = '" + status + "' WHERE username = 'aoife'");
    dev()
        .running
        .dev()
        .directory
        .modify(
            DevDirectory.MEMBERS,
            new com.unboundid.ldap.sdk.Modification(
                com.unboundid.ldap.sdk.ModificationType.DELETE, "memberUid", "aoife"));
  }

  @Test
  void anAddressOfACurrentMembershipBringsALapsedAccountBack() throws Exception {
    // Aoife's membership lapsed and the account went out of the members group; she renewed
    // under another membership (W200002's address stands in for her new one).
    lapse("expired");
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    assertThat(browser.get("/account").body()).contains("expired on 2025-08-31");

    ask(browser, "sean.obriain@example.com", PASSWORD);
    String link = OneMemberDev.linkIn(dev().awaitMail("sean.obriain@example.com", CONFIRM));
    HttpResponse<String> confirmed = browser.submit(link);
    assertThat(confirmed.body()).contains("the account is active again");

    assertThat(
            TestDatabases.rows(dev().database(), "SELECT id_wolves, status, email FROM accounts"))
        .containsExactly("W200002|active|sean.obriain@example.com");
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("employeeNumber"))
        .isEqualTo("W200002");
    assertThat(entry(DevDirectory.MEMBERS).getAttributeValues("memberUid")).contains("aoife");
    assertThat(browser.get("/account").body()).contains("current, until 2027-08-31");
  }

  @Test
  void anAccountDisabledAfterAskingIsNeitherRelinkedNorActivatedByTheLink() throws Exception {
    // Until issue 13 a disabled account could log in, and its address change linked the new
    // membership without activating it. Now it cannot log in at all, and a link asked for before
    // an admin disabled it is as unknown as any other: nothing changes.
    lapse("expired");
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    ask(browser, "sean.obriain@example.com", PASSWORD);
    String link = OneMemberDev.linkIn(dev().awaitMail("sean.obriain@example.com", CONFIRM));
    browser.get(link); // the confirmation form, with its token
    TestDatabases.execute(
        dev().database(), "UPDATE accounts SET status = 'disabled' WHERE username = 'aoife'");
    HttpResponse<String> refused = browser.post(link);
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.body()).contains("This link does not work");
    assertThat(TestDatabases.rows(dev().database(), "SELECT id_wolves, status FROM accounts"))
        .containsExactly("W200001|disabled");
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("mail")).isEqualTo(EMAIL);
    assertThat(entry(DevDirectory.MEMBERS).getAttributeValues("memberUid")).isNull();
  }

  @Test
  void aNewPasswordSpendsAnOpenAddressLink() throws Exception {
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    ask(browser, NEW, PASSWORD); // say, by someone who had the password
    String link = OneMemberDev.linkIn(dev().awaitMail(NEW, CONFIRM));
    browser.get("/account");
    String replacement = "violet anchor gravel pocket";
    browser.post(
        "/account/password",
        "current-password",
        PASSWORD,
        "new-password",
        replacement,
        "new-password-again",
        replacement);
    Browser fromMail = dev().browser();
    assertThat(fromMail.get(link).statusCode()).isEqualTo(410);
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("mail")).isEqualTo(EMAIL);
  }

  @Test
  void aChangeTheDirectoryCannotFinishIsUndoneAndTheLinkStillWorks() throws Exception {
    TestDatabases.execute(
        dev().database(),
        "UPDATE accounts_wolves SET expiry = '2025-08-31' WHERE id_wolves = 'W200001'",
        "UPDATE accounts SET status = 'expired' WHERE username = 'aoife'");
    Browser browser = dev().loggedIn("aoife", PASSWORD);
    ask(browser, "sean.obriain@example.com", PASSWORD);
    String link = OneMemberDev.linkIn(dev().awaitMail("sean.obriain@example.com", CONFIRM));
    // The address can be set, but joining the members group then fails.
    var directory = dev().running.dev().directory;
    var group = directory.getEntry(DevDirectory.MEMBERS);
    directory.delete(DevDirectory.MEMBERS);
    assertThat(browser.post(link).statusCode()).isEqualTo(500);
    var user = entry("uid=aoife," + DevDirectory.USERS);
    assertThat(user.getAttributeValue("mail")).isEqualTo(EMAIL);
    assertThat(user.getAttributeValue("employeeNumber")).isEqualTo("W200001");
    assertThat(
            TestDatabases.rows(dev().database(), "SELECT id_wolves, status, email FROM accounts"))
        .containsExactly("W200001|expired|" + EMAIL);
    assertThat(
            TestDatabases.rows(
                dev().database(),
                "SELECT action FROM audit_log WHERE action NOT IN ('login', 'import', 'account-created')"))
        .containsExactly("email-change-asked");

    directory.add(group);
    browser.get(link);
    assertThat(browser.submit(link).body()).contains("the account is active again");
    assertThat(entry("uid=aoife," + DevDirectory.USERS).getAttributeValue("employeeNumber"))
        .isEqualTo("W200002");
  }
}
