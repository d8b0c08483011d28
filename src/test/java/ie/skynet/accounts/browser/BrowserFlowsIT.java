package ie.skynet.accounts.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import ie.skynet.accounts.account.SshKeygen;
import ie.skynet.accounts.app.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pages as members use them: headless Chromium against {@code bin/accounts dev} started as its
 * own process, every flow on a phone and on a laptop screen, each page state photographed and
 * checked by axe-core. The HTTP tests missed that no form was accepted from a browser; these would
 * not.
 */
class BrowserFlowsIT {
  private static final String PASSWORD = "violet kettle harbour lantern";
  private static final String NEW_PASSWORD = "amber ferry orchard whistle";
  private static final int MEMBERS = 40;
  private static final String KEY_FORM = "/account/ssh-keys";
  private static final String EMAIL_FORM = "/account/email";

  @TempDir static Path dir;
  private static Chromium chromium;
  private static DevProcess dev;
  private static Path membersFile;
  private static final AtomicInteger nextMember = new AtomicInteger();

  /** A member of the export: current for a year from today, whatever today is. */
  record Member(String id, String first, String last, String email, String username) {}

  @BeforeAll
  static void start() throws Exception {
    membersFile = DevData.export(dir.resolve("members.csv"), "W9", "member", MEMBERS);
    Visit.clearScreenshots();
    chromium = Chromium.launch();
    dev =
        DevProcess.start(
            dir.resolve("data"),
            membersFile,
            Map.of("ACCOUNTS_LIFECYCLE_ADMINS", "chairphone,chairdesktop"));
  }

  @AfterAll
  static void stop() {
    if (dev != null) {
      dev.close();
    }
    if (chromium != null) {
      chromium.close();
    }
  }

  /** Members whose membership an import has since made lapse. */
  private static final java.util.Set<String> lapsed = new java.util.HashSet<>();

  /**
   * Imports the export again, with these members' memberships lapsed yesterday, from the command
   * line against dev's configuration, as an operator would; then syncs the groups.
   */
  private static void lapse(Member member) throws Exception {
    lapsed.add(member.email());
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    List<String> lines = new ArrayList<>(Files.readAllLines(membersFile));
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (lapsed.stream().anyMatch(email -> line.contains("," + email + ","))) {
        lines.set(i, line.substring(0, line.lastIndexOf(',') + 1) + yesterday);
      }
    }
    Path export = dir.resolve("lapsed-" + lapsed.size() + ".csv");
    Files.write(export, lines);
    String config = dir.resolve("data/doctor.conf").toString();
    Cli.Result imported = Cli.run(Map.of(), "import-csv", "--config", config, export.toString());
    assertThat(imported.exit()).as(imported.all()).isZero();
    Cli.Result synced = Cli.run(Map.of(), "sync-groups", "--config", config, "--force");
    assertThat(synced.exit()).as(synced.all()).isZero();
    assertThat(synced.out()).contains(member.username());
  }

  /**
   * A committee member's entry, made by hand in dev's directory as the society's own accounts were,
   * not by signing up: signup never hands out a name the admins' list holds.
   */
  private static Member committeeEntry(String username) throws Exception {
    DevData.person(dir.resolve("data"), username, PASSWORD);
    return new Member("-", "The", "Chair", "chair@example.com", username);
  }

  /** Follows a link of the admin pages' menu (the site's name holds "Accounts" too). */
  private static Visit adminPage(Visit visit, String name) {
    visit
        .page()
        .locator("nav.admin")
        .getByRole(
            com.microsoft.playwright.options.AriaRole.LINK,
            new com.microsoft.playwright.Locator.GetByRoleOptions().setName(name).setExact(true))
        .click();
    return visit;
  }

  private static Member member() {
    int i = nextMember.incrementAndGet();
    assertThat(i).as("members left in the export").isLessThanOrEqualTo(MEMBERS);
    return new Member(
        "W9" + i, "Member" + i, "Browser", "member" + i + "@example.com", "member" + i + "b");
  }

  private static Visit visit(Screen screen, String flow) {
    return new Visit(chromium, screen, flow, dev.base);
  }

  /** Signup from the home page to the account being ready, checking each state on the way. */
  private static void signUp(Visit visit, Member member) {
    visit.open("/").at("Your Skynet account", "home");
    PlaywrightAssertions.assertThat(visit.link("Join the society on Wolves"))
        .hasAttribute("href", java.util.regex.Pattern.compile("^https://"));
    visit.follow("Create your account").at("Create your account", "signup");
    visit.fill("Your Wolves email address", member.email()).press("Send me the link");
    visit.at("Check your email", "signup-sent");
    visit.openMailedLink(member.email(), "/signup/");
    visit.at("Choose your username and password", "choose");
    visit
        .fill("Username", member.username())
        .fill("Password", PASSWORD)
        .fill("The same password again", PASSWORD)
        .press("Create my account");
    visit.at("Your account is ready", "ready");
    PlaywrightAssertions.assertThat(visit.page().locator("main strong")).hasText(member.username());
  }

  private static void logIn(Visit visit, Member member, String password) {
    visit.open("/login").at("Log in", "login");
    visit.fill("Username", member.username()).fill("Password", password).press("Log in");
    visit.at("Your account", "account");
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aMemberSignsUpLogsInSeesTheirAccountAndLogsOut(Screen screen) {
    Member member = member();
    try (Visit visit = visit(screen, "signup")) {
      visit.open("/signup").at("Create your account", "signup-form");
      visit.fill("Your Wolves email address", "not an address").press("Send me the link");
      visit.at("Create your account", "signup-bad-address");
      visit.showsErrorAt("Your Wolves email address", "such as name@example.com");
      PlaywrightAssertions.assertThat(visit.field("Your Wolves email address"))
          .hasValue("not an address");
      // A missing domain was once answered "we have sent a mail to aoife.murphy@" (issue 15, 2).
      visit.fill("Your Wolves email address", "aoife.murphy@").press("Send me the link");
      visit.at("Create your account", "signup-no-domain");
      visit.showsErrorAt("Your Wolves email address", "with its domain after the @");

      visit.fill("Your Wolves email address", member.email()).press("Send me the link");
      visit.at("Check your email", "signup-sent");
      visit.openMailedLink(member.email(), "/signup/");
      visit.at("Choose your username and password", "choose");

      visit
          .fill("Username", "No Spaces!")
          .fill("Password", "short")
          .fill("The same password again", "short")
          .press("Create my account");
      visit.at("Choose your username and password", "choose-errors");
      visit.showsErrorAt("Username", "A username cannot hold a space, '!'.");
      PlaywrightAssertions.assertThat(visit.field("Username")).hasValue("No Spaces!");
      // Only the name was refused: the passwords stay typed (issue 15, 7).
      PlaywrightAssertions.assertThat(visit.field("Password")).hasValue("short");
      PlaywrightAssertions.assertThat(visit.field("The same password again")).hasValue("short");

      visit
          .fill("Username", member.username())
          .fill("Password", PASSWORD)
          .fill("The same password again", PASSWORD + " typo")
          .press("Create my account");
      visit.at("Choose your username and password", "choose-differ");
      visit.showsErrorAt("The same password again", "not the same as the password above");

      visit
          .fill("Username", member.username())
          .fill("Password", PASSWORD)
          .fill("The same password again", PASSWORD)
          .press("Create my account");
      visit.at("Your account is ready", "ready");
      // The answer was a redirect: reloading shows the page again and sends nothing (issue 15, 8).
      visit.page().reload();
      visit.at("Your account is ready", "ready-reloaded");

      visit.follow("Log in to your account page").at("Log in", "login");
      visit.fill("Username", member.email()).fill("Password", PASSWORD).press("Log in");
      visit.at("Log in", "login-with-address");
      visit.showsErrorAt("Username", "log in with your username");
      visit.fill("Username", member.username()).fill("Password", "wrong password here");
      visit.press("Log in").at("Log in", "login-refused");
      PlaywrightAssertions.assertThat(visit.field("Username")).hasValue(member.username());
      visit.showsErrorAt("Password", "Invalid username or password.");

      visit.fill("Password", PASSWORD).press("Log in").at("Your account", "account");
      PlaywrightAssertions.assertThat(visit.page().locator("dl"))
          .containsText(member.first() + " " + member.last());
      PlaywrightAssertions.assertThat(visit.page().locator("dl")).containsText(member.email());

      visit.press("Log out").at("Log in", "logged-out");
      visit.open("/account");
      visit.at("Log in", "account-after-logout");
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void onTheAccountPageAMemberAddsAndRemovesAKeyChangesThePasswordAndTheAddress(Screen screen)
      throws Exception {
    Member member = member();
    Path keys = Files.createDirectories(dir.resolve("keys-" + screen.folder()));
    String publicKey = SshKeygen.generate(keys, "id", "ed25519", 0, "laptop").strip();
    String fingerprint = SshKeygen.run(keys, "-l", "-f", "id.pub").split(" ", -1)[1];
    try (Visit visit = visit(screen, "account")) {
      signUp(visit, member);
      logIn(visit, member, PASSWORD);

      visit
          .fill("Add a public key", "ssh-dss AAAAB3NzaC1kc3MAAACB not-a-key")
          .fillIn(KEY_FORM, "Your password", PASSWORD);
      visit.press("Add the key").at("Your account", "key-refused");
      visit.showsErrorAt("Add a public key", "DSA keys (ssh-dss) are not accepted");
      PlaywrightAssertions.assertThat(visit.field("Add a public key"))
          .hasValue("ssh-dss AAAAB3NzaC1kc3MAAACB not-a-key");
      // The private key, pasted by mistake: named for what it is, and not shown back.
      visit
          .fill("Add a public key", Files.readString(keys.resolve("id")))
          .fillIn(KEY_FORM, "Your password", PASSWORD);
      visit.press("Add the key").at("Your account", "key-private");
      visit.showsErrorAt("Add a public key", "That is a private key");
      PlaywrightAssertions.assertThat(visit.field("Add a public key")).hasValue("");

      visit
          .fill("Add a public key", publicKey)
          .fillIn(KEY_FORM, "Your password", PASSWORD)
          .press("Add the key");
      visit.at("Your account", "key-added");
      visit.showsDone("Key " + fingerprint + " added");
      PlaywrightAssertions.assertThat(visit.page().locator(".keys")).containsText(fingerprint);
      // A reload loads the page the redirect named; it used to add the key again (issue 15, 8).
      visit.page().reload();
      visit.at("Your account", "key-added-reloaded");
      PlaywrightAssertions.assertThat(visit.page().locator(".keys li")).hasCount(1);
      PlaywrightAssertions.assertThat(
              visit.page().getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
          .hasCount(0);
      visit.press("Remove").at("Your account", "key-removed");
      PlaywrightAssertions.assertThat(visit.page().locator(".keys")).hasCount(0);

      visit
          .fill("Current password", "not my password at all")
          .fill("New password", NEW_PASSWORD)
          .fill("The new password again", NEW_PASSWORD)
          .press("Change password");
      visit.at("Your account", "password-refused");
      visit.showsErrorAt("Current password", "That is not your current password.");
      visit
          .fill("Current password", PASSWORD)
          .fill("New password", NEW_PASSWORD)
          .fill("The new password again", PASSWORD)
          .press("Change password");
      visit.at("Your account", "password-differ");
      visit.showsErrorAt("The new password again", "not the same as the new password above");
      visit
          .fill("Current password", PASSWORD)
          .fill("New password", NEW_PASSWORD)
          .fill("The new password again", NEW_PASSWORD)
          .press("Change password");
      visit.at("Your account", "password-changed");
      visit.showsDone("Your password is changed");

      String newAddress = member.username() + "@new.example.net";
      visit.fill("New address", newAddress).fillIn(EMAIL_FORM, "Your password", PASSWORD);
      visit.press("Send the link");
      visit.at("Your account", "address-wrong-password");
      visit.showsErrorAt(visit.inForm(EMAIL_FORM, "Your password"), "That is not your current");
      PlaywrightAssertions.assertThat(visit.field("New address")).hasValue(newAddress);
      visit.fillIn(EMAIL_FORM, "Your password", NEW_PASSWORD).press("Send the link");
      visit.at("Your account", "address-link-sent");
      visit.openMailedLink(newAddress, "/account/email/");
      visit.at("Confirm your new address", "address-confirm");
      visit.press("Confirm the address");
      visit.seen("address-confirmed");
      visit.open("/account").at("Your account", "account-new-address");
      PlaywrightAssertions.assertThat(visit.page().locator("dl")).containsText(newAddress);

      // Logging out is at the top, on screen, and not styled as the page's main action.
      com.microsoft.playwright.Locator logOut =
          visit
              .page()
              .getByRole(
                  com.microsoft.playwright.options.AriaRole.BUTTON,
                  new com.microsoft.playwright.Page.GetByRoleOptions().setName("Log out"));
      PlaywrightAssertions.assertThat(logOut).isInViewport();
      PlaywrightAssertions.assertThat(logOut).hasClass("secondary");
      logOut.click();
      visit.at("Log in", "logged-out");
      visit.showsDone("You are logged out.");
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aMemberWhoForgotTheirPasswordOrUsernameGetsThemByMail(Screen screen) {
    Member member = member();
    try (Visit visit = visit(screen, "forgotten")) {
      signUp(visit, member);
      visit.open("/login").at("Log in", "login");
      visit.follow("Choose a new one by mail").at("Forgot your password?", "password-form");
      visit.fill("Username or email address", member.username()).press("Mail me a link");
      visit.at("Check your email", "password-sent");
      String resetLink = visit.openMailedLink(member.email(), "/recover/password/");
      visit.at("Choose a new password", "reset-form");
      visit.fill("New password", "short").fill("The same password again", "short");
      visit.press("Set the new password").at("Choose a new password", "reset-refused");
      visit.showsErrorAt("New password", "Use at least 12 characters");
      visit.fill("New password", NEW_PASSWORD).fill("The same password again", NEW_PASSWORD);
      visit.press("Set the new password");
      visit.at("Log in", "reset-done");
      visit.showsDone("Your password is changed");
      PlaywrightAssertions.assertThat(visit.field("Username")).hasValue(member.username());
      // A spent link and a mangled one each lead to asking for a new link (issue 15, 10).
      visit.open(resetLink).at("This link has been used", "reset-link-used");
      visit.follow("Ask for a new link").at("Forgot your password?", "password-form-again");
      visit.open(resetLink + "x").at("This link does not work", "reset-link-unknown");
      visit.follow("Ask for a new link").at("Forgot your password?", "password-form-again");
      visit.open(resetLink + "/2").at("This link does not work", "reset-link-broken");
      visit.follow("Ask for a new link").at("Forgot your password?", "password-form-again");
      logIn(visit, member, NEW_PASSWORD);
      visit.press("Log out");

      visit.open("/recover/username").at("Forgot your username?", "username-form");
      visit.fill("Email address", member.email()).press("Mail me my username");
      visit.at("Check your email", "username-sent");
      visit.awaitMailSaying(member.email(), "Its username is:", member.username());
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aMemberRecoversWithASignatureMadeByTheirSshKey(Screen screen) throws Exception {
    Member member = member();
    Path keys = Files.createDirectories(dir.resolve("ssh-recovery-" + screen.folder()));
    String publicKey = SshKeygen.generate(keys, "id", "ed25519", 0, "laptop").strip();
    try (Visit visit = visit(screen, "ssh-recovery")) {
      signUp(visit, member);
      logIn(visit, member, PASSWORD);
      visit
          .fill("Add a public key", publicKey)
          .fillIn(KEY_FORM, "Your password", PASSWORD)
          .press("Add the key");
      visit.at("Your account", "key-added");
      visit.press("Log out");

      visit.open("/login").follow("Choose a new one by mail");
      visit.follow("Recover with your SSH key").at("Recover with your SSH key", "ssh-form");
      visit.fill("Username", member.username()).fill("The address on the account", member.email());
      visit.press("Give me a text to sign");
      visit.at("Sign this with your SSH key", "ssh-challenge");

      String challenge = visit.page().locator("#challenge").textContent();
      visit.fill(
          "The signature (challenge.txt.sig)",
          "-----BEGIN SSH SIGNATURE-----\nbad\n-----END SSH SIGNATURE-----");
      visit.press("Check the signature").at("Sign this with your SSH key", "ssh-bad-signature");
      visit.showsErrorAt("The signature (challenge.txt.sig)", "does not answer an open challenge");

      SshKeygen.write(keys.resolve("challenge.txt"), challenge);
      SshKeygen.run(keys, "-Y", "sign", "-n", "file", "-f", "id", "challenge.txt");
      String signature = SshKeygen.read(keys.resolve("challenge.txt.sig"));
      visit.fill("The signature (challenge.txt.sig)", signature).press("Check the signature");
      visit.at("Choose a new password", "ssh-reset-form");
      visit.fill("New password", NEW_PASSWORD).fill("The same password again", NEW_PASSWORD);
      visit.press("Set the new password");
      visit.seen("ssh-reset-done");
      logIn(visit, member, NEW_PASSWORD);
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aUsedLinkAndARepeatedRequestAreExplained(Screen screen) {
    Member member = member();
    try (Visit visit = visit(screen, "bad-links")) {
      visit.open("/signup").fill("Your Wolves email address", member.email());
      visit.press("Send me the link").at("Check your email", "sent");
      visit.press("Send it again").at("Check your email", "throttled");
      PlaywrightAssertions.assertThat(
              visit.page().getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
          .containsText("You can ask again in");

      String link = visit.openMailedLink(member.email(), "/signup/");
      visit.fill("Username", member.username()).fill("Password", PASSWORD);
      visit.fill("The same password again", PASSWORD).press("Create my account");
      visit.at("Your account is ready", "ready");
      visit.open(link).at("This link has been used", "used-link");
      visit.follow("Ask for a new link").at("Create your account", "after-used-link");
      visit.open("/signup/not-a-real-token").at("This link does not work", "unknown-link");
    }
  }

  /**
   * An expired link needs the service a day later: dev is stopped and started again on the same
   * data under faketime, a day on from whatever today is.
   */
  @Test
  void anExpiredLinkSaysSoOnEveryScreen() throws Exception {
    Path data = dir.resolve("expiry-data");
    Map<Screen, String> links = new EnumMap<>(Screen.class);
    try (DevProcess today = DevProcess.start(data, membersFile)) {
      for (Screen screen : Screen.values()) {
        Member member = member();
        try (Visit visit = new Visit(chromium, screen, "expired-link", today.base)) {
          visit.open("/signup").fill("Your Wolves email address", member.email());
          visit.press("Send me the link").at("Check your email", "sent");
          String link = visit.openMailedLink(member.email(), "/signup/");
          visit.at("Choose your username and password", "fresh-link");
          links.put(screen, link.substring(today.base.length()));
        }
      }
    }
    // A day and an hour after the test's own clock, which is never behind dev's.
    Instant tomorrow = Instant.now().plus(Duration.ofHours(25));
    try (DevProcess later = DevProcess.startAt(tomorrow, data, membersFile)) {
      for (Map.Entry<Screen, String> link : links.entrySet()) {
        try (Visit visit = new Visit(chromium, link.getKey(), "expired-link", later.base)) {
          visit.open(link.getValue()).at("This link has expired", "expired");
        }
      }
    }
  }

  /** Tab, typing and Enter only: the order of the fields is the order a member expects. */
  @ParameterizedTest
  @EnumSource(Screen.class)
  void aLapsedMemberIsToldToRenewAndAnAdminSeesItAllAndDisablesAnAccount(Screen screen)
      throws Exception {
    Member chair = committeeEntry("chair" + screen.folder());
    Member member = member();
    try (Visit visit = visit(screen, "lapse")) {
      signUp(visit, member);
      lapse(member);
      logIn(visit, member, PASSWORD);
      PlaywrightAssertions.assertThat(visit.page().locator(".lapsed"))
          .containsText("Your membership lapsed on");
      PlaywrightAssertions.assertThat(visit.link("Renew it on Wolves"))
          .hasAttribute("href", java.util.regex.Pattern.compile("^https://"));
      visit.seen("account-lapsed");
      PlaywrightAssertions.assertThat(visit.page().locator("main"))
          .not()
          .containsText("Admin pages");
    }
    try (Visit visit = visit(screen, "admin")) {
      logIn(visit, chair, PASSWORD);
      visit.follow("Admin pages").at("Admin dashboard", "dashboard");
      var main = PlaywrightAssertions.assertThat(visit.page().locator("main"));
      main.containsText("sync-groups");
      main.containsText("lapsed-");
      main.containsText("account-created");

      adminPage(visit, "Members").at("Members", "members");
      visit
          .fill("Name, address, Wolves id, student number or username", member.email())
          .press("Search");
      visit.at("Members", "members-found");
      PlaywrightAssertions.assertThat(visit.page().locator("tbody tr")).hasCount(1);
      PlaywrightAssertions.assertThat(visit.page().locator("tbody")).containsText("lapsed");

      adminPage(visit, "Accounts").at("Accounts", "accounts");
      visit.fill("Username, name, address or Wolves id", member.username()).press("Search");
      visit
          .fill("Reason to disable " + member.username(), "asked to leave, by mail")
          .press("Disable");
      visit.at("Accounts", "accounts-disabled");
      PlaywrightAssertions.assertThat(
              visit.page().getByRole(com.microsoft.playwright.options.AriaRole.STATUS))
          .containsText(member.username() + " is disabled");

      adminPage(visit, "Imports").at("Imports", "imports");
      visit.page().locator("tbody a").first().click();
      visit.seen("import-run");
      PlaywrightAssertions.assertThat(visit.page().locator("main")).containsText("Rejected rows");

      adminPage(visit, "Mail").at("Mail", "mail");
      PlaywrightAssertions.assertThat(visit.page().locator("tbody")).containsText(member.email());

      adminPage(visit, "Audit log").at("Audit log", "audit");
      visit.page().getByLabel("Action").selectOption("account-disabled");
      visit.press("Filter").at("Audit log", "audit-filtered");
      PlaywrightAssertions.assertThat(visit.page().locator("tbody"))
          .containsText("asked to leave, by mail");
    }
    try (Visit visit = visit(screen, "disabled")) {
      visit.open("/login").at("Log in", "login");
      visit.fill("Username", member.username()).fill("Password", PASSWORD).press("Log in");
      visit.at("Log in", "login-disabled");
      visit.showsErrorAt("Password", "Invalid username or password.");
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void signupWorksWithTheKeyboardAlone(Screen screen) {
    Member member = member();
    try (Visit visit = visit(screen, "keyboard")) {
      visit.open("/signup");
      Keyboard keyboard = visit.page().keyboard();
      tabTo(visit, "email");
      keyboard.type(member.email());
      keyboard.press("Enter");
      visit.at("Check your email", "sent");
      String link = visit.openMailedLink(member.email(), "/signup/");
      visit.open(link).at("Choose your username and password", "choose");
      keyboard = visit.page().keyboard(); // the mailbox's tab, now on the link
      tabTo(visit, "username");
      keyboard.type(member.username());
      keyboard.press("Tab");
      assertFocused(visit, "password");
      keyboard.type(PASSWORD);
      keyboard.press("Tab");
      assertFocused(visit, "password-again");
      keyboard.type(PASSWORD);
      keyboard.press("Enter");
      visit.at("Your account is ready", "ready");
    }
  }

  /** Presses Tab until the field with this id has focus; it must come before the form's button. */
  private static void tabTo(Visit visit, String id) {
    for (int presses = 0; presses < 10; presses++) {
      visit.page().keyboard().press("Tab");
      if (id.equals(visit.page().evaluate("document.activeElement.id"))) {
        return;
      }
    }
    throw new AssertionError("#" + id + " is not reached by Tab on " + visit.page().url());
  }

  private static void assertFocused(Visit visit, String id) {
    assertThat(visit.page().evaluate("document.activeElement.id")).isEqualTo(id);
  }
}
