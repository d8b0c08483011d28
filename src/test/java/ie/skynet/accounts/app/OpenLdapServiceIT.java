package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import ie.skynet.accounts.account.SshKeygen;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.dev.DevMailbox;
import ie.skynet.accounts.directory.Slapd;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.templates.Pages;
import ie.skynet.accounts.web.Browser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service as a society runs it: {@code serve}'s configuration, Debian's slapd set up from
 * {@code deploy/ldap/} with the original openssh-lpk schema (a key is a MUST of ldapPublicKey),
 * real SMTP, real HTTP. And what doctor, preflight and a signup say when the service's account
 * lacks a right it needs.
 */
class OpenLdapServiceIT {
  private static final String EMAIL = "aoife.murphy@example.com";
  private static final String PASSWORD = "correct horse battery staple lime";
  private static final String CONFIGURED_BASE = "http://localhost:8080";

  @TempDir Path dir;
  private @Nullable Slapd slapd;
  private @Nullable DevMailbox mailbox;
  private @Nullable Running running;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private String base = "";

  @BeforeEach
  void startDependencies() throws Exception {
    slapd = Slapd.start(dir.resolve("slapd"), Slapd.Schema.MUST_KEY);
    mailbox = DevMailbox.start(0, new Pages());
    logged.start();
    root().addAppender(logged);
    Cli.Result imported =
        Cli.run(
            environment(),
            "import-csv",
            MembersOfToday.write(dir.resolve("members.csv")).toString());
    assertThat(imported.exit()).as(imported.all()).isZero();
  }

  @AfterEach
  void stop() {
    root().detachAppender(logged);
    if (running != null) {
      running.close();
    }
    if (mailbox != null) {
      mailbox.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private Slapd slapd() {
    return java.util.Objects.requireNonNull(slapd);
  }

  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("accounts.db"));
    env.put("ACCOUNTS_WEB_PORT", "0");
    env.put("ACCOUNTS_WEB_BASE_URL", CONFIGURED_BASE);
    env.put("ACCOUNTS_LDAP_HOST", "127.0.0.1");
    env.put("ACCOUNTS_LDAP_PORT", Integer.toString(slapd().port()));
    env.put("ACCOUNTS_LDAP_SECURITY", "none");
    env.put("ACCOUNTS_LDAP_BIND_PASSWORD", Slapd.SERVICE_PASSWORD);
    env.put("ACCOUNTS_SMTP_HOST", "127.0.0.1");
    env.put(
        "ACCOUNTS_SMTP_PORT", Integer.toString(java.util.Objects.requireNonNull(mailbox).port()));
    env.put("ACCOUNTS_PREFLIGHT_USERS_DN", Slapd.PREFLIGHT);
    env.put("ACCOUNTS_LDAP_ADMINS_GROUP_DN", "cn=skynet-admins,ou=groups," + Slapd.BASE);
    env.put("ACCOUNTS_LDAP_COMMITTEE_GROUP_DN", "cn=skynet-committee,ou=groups," + Slapd.BASE);
    return env;
  }

  private App app() throws Exception {
    App app = App.open(Files.writeString(dir.resolve("empty.conf"), ""), environment());
    app.database().migrate();
    return app;
  }

  private Browser start() throws Exception {
    Running started = app().start();
    running = started;
    base = "http://127.0.0.1:" + started.port();
    return new Browser(base);
  }

  private DevMail awaitMail(String subject, Predicate<DevMail> also) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      var found =
          java.util.Objects.requireNonNull(mailbox).mails().stream()
              .filter(m -> m.to().equalsIgnoreCase(EMAIL) && m.subject().equals(subject))
              .filter(also)
              .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no mail '" + subject + "' to " + EMAIL);
  }

  private String link(String subject) throws InterruptedException {
    return awaitMail(subject, m -> true).links().get(0).replace(CONFIGURED_BASE, base);
  }

  private String askAndOpen(Browser browser) throws InterruptedException {
    browser.get("/signup");
    assertThat(browser.submit("/signup", "email", EMAIL).statusCode()).isEqualTo(200);
    String link = link("Choose your Skynet username and password");
    assertThat(browser.get(link).statusCode()).isEqualTo(200);
    return link;
  }

  private static HttpResponse<String> choose(Browser browser, String link, String username) {
    return browser.submit(
        link, "username", username, "password", PASSWORD, "password-again", PASSWORD);
  }

  private boolean canBind(String username, String password) throws LDAPException {
    try (LDAPConnection connection = new LDAPConnection("127.0.0.1", slapd().port())) {
      connection.bind("uid=" + username + "," + Slapd.USERS, password);
      return true;
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        return false;
      }
      throw e;
    }
  }

  private Entry entry(String dn) throws LDAPException {
    try (LDAPConnection admin = slapd().admin()) {
      return admin.getEntry(dn);
    }
  }

  @Test
  void aMemberSignsUpAddsAndRemovesAKeyResetsThePasswordAndBinds() throws Exception {
    Browser browser = start();
    String link = askAndOpen(browser);
    HttpResponse<String> done = choose(browser, link, "aoife");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(done.body()).contains("Your account is ready");
    assertThat(canBind("aoife", PASSWORD)).isTrue();
    Entry made = entry("uid=aoife," + Slapd.USERS);
    assertThat(made.hasObjectClass("ldapPublicKey")).isFalse();
    assertThat(made.getAttributeValue("userPassword")).startsWith("{SSHA}");
    assertThat(entry(Slapd.MEMBERS).getAttributeValues("memberUid")).containsExactly("aoife");

    browser.get("/login");
    assertThat(browser.post("/login", "username", "aoife", "password", PASSWORD).statusCode())
        .isEqualTo(303);
    browser.get("/account");
    String key =
        SshKeygen.generate(
                Files.createDirectories(dir.resolve("keys")), "id_ed25519", "ed25519", 0, "aoife")
            .strip();
    HttpResponse<String> added =
        browser.submit("/account/ssh-keys", "key", key, "password", PASSWORD);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    Entry keyed = entry("uid=aoife," + Slapd.USERS);
    assertThat(keyed.hasObjectClass("ldapPublicKey")).isTrue();
    assertThat(keyed.getAttributeValues("sshPublicKey")).containsExactly(key);

    // Recovery by a signature with that key, as a member whose address died would.
    Browser recovering = new Browser(base);
    recovering.get("/recover/ssh");
    HttpResponse<String> asked = recovering.submit("/recover/ssh", "user", "aoife", "email", EMAIL);
    java.util.regex.Matcher shown =
        java.util.regex.Pattern.compile("<pre id=\"challenge\">([^<]+)</pre>")
            .matcher(asked.body());
    assertThat(shown.find()).as(asked.body()).isTrue();
    Path keys = dir.resolve("keys");
    SshKeygen.write(keys.resolve("challenge.txt"), shown.group(1));
    SshKeygen.run(
        keys,
        "-Y",
        "sign",
        "-n",
        "file",
        "-f",
        keys.resolve("id_ed25519").toString(),
        keys.resolve("challenge.txt").toString());
    HttpResponse<String> verified =
        recovering.post(
            "/recover/ssh/verify",
            "user",
            "aoife",
            "signature",
            SshKeygen.read(keys.resolve("challenge.txt.sig")));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(303);
    String bySignature = verified.headers().firstValue("Location").orElseThrow();
    recovering.get(bySignature);
    String chosen = "amber lantern quiet harbour";
    assertThat(
            recovering
                .submit(bySignature, "password", chosen, "password-again", chosen)
                .statusCode())
        .isEqualTo(200);
    assertThat(canBind("aoife", chosen)).isTrue();
    browser.get("/login");
    assertThat(browser.post("/login", "username", "aoife", "password", chosen).statusCode())
        .isEqualTo(303);
    browser.get("/account");

    HttpResponse<String> removed = browser.submit("/account/ssh-keys/remove", "key", key);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    Entry unkeyed = entry("uid=aoife," + Slapd.USERS);
    assertThat(unkeyed.hasObjectClass("ldapPublicKey")).isFalse();
    assertThat(unkeyed.hasAttribute("sshPublicKey")).isFalse();
    browser.submit("/logout");

    String replacement = "violet anchor gravel pocket";
    browser.get("/recover/password");
    assertThat(browser.submit("/recover/password", "user", "aoife").statusCode()).isEqualTo(200);
    String reset = link("Choose a new Skynet password");
    browser.get(reset);
    HttpResponse<String> changed =
        browser.submit(reset, "password", replacement, "password-again", replacement);
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(canBind("aoife", replacement)).isTrue();
    assertThat(canBind("aoife", chosen)).isFalse();
    assertThat(entry("uid=aoife," + Slapd.USERS).getAttributeValue("userPassword"))
        .startsWith("{SSHA}");
  }

  @Test
  void doctorPassesOnTheShippedSetupAndLeavesNothingBehind() throws Exception {
    Cli.Result doctor = Cli.run(environment(), "doctor");
    assertThat(doctor.exit()).as(doctor.all()).isZero();
    assertThat(doctor.out())
        .contains("✔ ldap add account")
        .contains("✔ ldap set password")
        .contains("✔ ldap ssh keys")
        .contains("✔ ldap members group write")
        .contains("✔ ldap admins group")
        .contains("✔ ldap admins group write")
        .contains("✔ ldap committee group write")
        .contains("✔ ldap remove account")
        .contains("ldapPublicKey requires a key")
        .contains("✔ ldap discord")
        .containsPattern("ldap clock +differs from this machine's by") // the monitor answers
        .doesNotContain("✘");
    try (LDAPConnection admin = slapd().admin()) {
      assertThat(admin.getEntry(Slapd.MEMBERS).hasAttribute("memberUid")).isFalse();
      assertThat(
              admin
                  .search(Slapd.USERS, com.unboundid.ldap.sdk.SearchScope.ONE, "(objectClass=*)")
                  .getEntryCount())
          .isZero();
    }
  }

  @Test
  void pastSlapdsSizeLimitSyncGroupsNeedsTheShippedLimitsAndDoctorSaysSo() throws Exception {
    int entries = 520; // more than the 500 of Debian's default configuration
    try (LDAPConnection admin = slapd().admin()) {
      TestDirectories.addMembers(admin, Slapd.USERS, entries, "/bin/bash");
    }
    Cli.Result doctor = Cli.run(environment(), "doctor");
    assertThat(doctor.out())
        .contains("✔ ldap size limit")
        .contains("read all " + entries + " entries under " + Slapd.USERS);
    Cli.Result sync = Cli.run(environment(), "sync-groups", "--dry-run");
    assertThat(sync.exit()).as(sync.all()).isZero();

    slapd().withholdSizeLimits();
    Cli.Result limited = Cli.run(environment(), "doctor");
    assertThat(limited.exit()).isEqualTo(1);
    assertThat(limited.out())
        .contains("✘ ldap size limit")
        .contains("stopped after")
        .contains("deploy/ldap/limits.ldif");
    Cli.Result failed = Cli.run(environment(), "sync-groups", "--dry-run");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("size limit exceeded").doesNotContain("Exception");
  }

  /** Every message logged at ERROR, with the messages of its exception and causes. */
  private String errorsLogged() {
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent event : logged.list) {
      if (event.getLevel() != ch.qos.logback.classic.Level.ERROR) {
        continue;
      }
      all.append(event.getFormattedMessage()).append('\n');
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        all.append(t.getMessage()).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void withoutTheRightToSetPasswordsDoctorFailsNamingItAndASignupSaysSoThenWorksOnceFixed()
      throws Exception {
    slapd().withholdPasswordWrite();
    Cli.Result doctor = Cli.run(environment(), "doctor");
    assertThat(doctor.exit()).isEqualTo(1);
    assertThat(doctor.out())
        .contains("✘ ldap set password")
        .contains(
            Slapd.SERVICE_DN + " may not write on userPassword of entries under " + Slapd.USERS)
        .contains("✔ ldap add account")
        .contains("✔ ldap remove account");

    Browser browser = start();
    String link = askAndOpen(browser);
    HttpResponse<String> failed = choose(browser, link, "aoife");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.body()).contains("Your link still works: try again in a minute.");
    assertThat(errorsLogged())
        .contains(
            "setting the password of new account uid=aoife,"
                + Slapd.USERS
                + " failed: 50 (insufficient access rights); the service's account "
                + Slapd.SERVICE_DN
                + " lacks write access to userPassword of uid=aoife,"
                + Slapd.USERS
                + "; grant it in the directory's access rules (see deploy/ldap/access.ldif or"
                + " access.conf); nothing of it is left")
        .doesNotContain("null");
    assertThat(entry("uid=aoife," + Slapd.USERS)).isNull();

    // The operator mends the rule; the member tries again at once, with the same link and name.
    slapd().restoreAccess();
    HttpResponse<String> done = choose(browser, link, "aoife");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(canBind("aoife", PASSWORD)).isTrue();
  }

  @Test
  void withoutTheRightToWriteTheMembersGroupDoctorFailsNamingItAndTheUndoIsReportedTruly()
      throws Exception {
    slapd().withholdMemberUidWrite();
    Cli.Result doctor = Cli.run(environment(), "doctor");
    assertThat(doctor.exit()).isEqualTo(1);
    assertThat(doctor.out())
        .contains("✘ ldap members group write")
        .contains(Slapd.SERVICE_DN + " may not write on memberUid of " + Slapd.MEMBERS)
        .contains("✔ ldap set password");

    Browser browser = start();
    String link = askAndOpen(browser);
    assertThat(choose(browser, link, "aoife").statusCode()).isEqualTo(503);
    String errors = errorsLogged();
    assertThat(errors)
        .contains(
            "adding new account aoife to "
                + Slapd.MEMBERS
                + " failed: 50 (insufficient access rights); the service's account "
                + Slapd.SERVICE_DN
                + " lacks write access to memberUid of "
                + Slapd.MEMBERS)
        .contains("; nothing of it is left")
        .doesNotContain("by hand")
        .doesNotContain("null");
    assertThat(entry("uid=aoife," + Slapd.USERS)).isNull();

    slapd().restoreAccess();
    assertThat(choose(browser, link, "aoife").statusCode()).isEqualTo(200);
    assertThat(entry(Slapd.MEMBERS).getAttributeValues("memberUid")).containsExactly("aoife");
  }

  @Test
  void preflightRehearsesASignupUnderItsOwnBranchAndLeavesNothing() throws Exception {
    App app = app();
    StringWriter out = new StringWriter();
    boolean passed =
        app.preflight()
            .run(
                "someone@example.com",
                new PastedLink(java.util.Objects.requireNonNull(mailbox), "someone@example.com"),
                new PrintWriter(out, true));
    assertThat(passed).as(out.toString()).isTrue();
    assertThat(out.toString()).contains("✔ 6 bind").contains("✔ cleanup");
    try (LDAPConnection admin = slapd().admin()) {
      assertThat(
              admin
                  .search(Slapd.PREFLIGHT, com.unboundid.ldap.sdk.SearchScope.ONE, "(uid=*)")
                  .getEntryCount())
          .isZero();
      assertThat(admin.getEntry(Slapd.MEMBERS).hasAttribute("memberUid")).isFalse();
    }
  }
}
