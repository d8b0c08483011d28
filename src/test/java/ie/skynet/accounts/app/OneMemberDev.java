package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.signup.Completion;
import ie.skynet.accounts.web.Browser;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The dev stack over real HTTP with one account, {@code aoife}, made as a member makes one: what
 * the account tests start from.
 */
final class OneMemberDev implements AutoCloseable {
  static final String PASSWORD = "correct horse battery staple lime";
  static final String EMAIL = "aoife.murphy@example.com";

  final Running running;
  final String base;
  private final Path data;

  private OneMemberDev(Running running, Path data) {
    this.running = running;
    this.base = "http://127.0.0.1:" + running.port();
    this.data = data;
  }

  static OneMemberDev start(Path data, TestClock clock) throws Exception {
    return start(data, clock, Map.of());
  }

  /** As above, with configuration from these {@code ACCOUNTS_*} variables. */
  static OneMemberDev start(Path data, TestClock clock, Map<String, String> environment)
      throws Exception {
    App app = App.dev(new DevOptions(0, 0, 0, data, null), environment, clock);
    app.database().migrate();
    app.serving().loadDevMembers();
    OneMemberDev dev = new OneMemberDev(app.start(), data);
    try {
      dev.running.signup().request(EMAIL, "test");
      dev.running.answerWaiting();
      String link = dev.awaitMail("for signup", m -> true).links().get(0);
      String token = link.substring(link.lastIndexOf('/') + 1);
      assertThat(dev.running.signup().complete(token, "aoife", PASSWORD))
          .isInstanceOf(Completion.Created.class);
    } catch (Exception | AssertionError e) {
      dev.close();
      throw e;
    }
    return dev;
  }

  /** The newest caught mail that fits, once there is one. */
  DevMail awaitMail(String what, Predicate<DevMail> fits) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      var found = running.dev().mailbox.mails().stream().filter(fits).findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail " + what + " arrived");
  }

  DevMail awaitMail(String to, String subject) throws InterruptedException {
    return awaitMail(
        "'" + subject + "' to " + to,
        m -> m.to().equalsIgnoreCase(to) && m.subject().equals(subject));
  }

  /** The link in a mail, pointed at the address this test's browsers use. */
  static String linkIn(DevMail mail) {
    return mail.links().get(0).replace("http://localhost:", "http://127.0.0.1:");
  }

  Browser browser() {
    return new Browser(base);
  }

  Browser loggedIn(String username, String password) {
    Browser browser = browser();
    browser.get("/login");
    assertThat(browser.post("/login", "username", username, "password", password).statusCode())
        .isEqualTo(303);
    return browser;
  }

  boolean canBind(String username, String password) throws Exception {
    try (var connection =
        new com.unboundid.ldap.sdk.LDAPConnection(
            "127.0.0.1", running.dev().directory.getListenPort())) {
      connection.bind("uid=" + username + "," + DevDirectory.USERS, password);
      return true;
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      return false;
    }
  }

  Database database() {
    return new Database(TestDatabases.in(data));
  }

  @Override
  public void close() {
    running.close();
  }
}
