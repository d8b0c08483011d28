package ie.skynet.accounts.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import ie.skynet.accounts.account.SshKeygen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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

  @TempDir static Path dir;
  private static Chromium chromium;
  private static DevProcess dev;
  private static Path membersFile;
  private static final AtomicInteger nextMember = new AtomicInteger();

  /** A member of the export: current for a year from today, whatever today is. */
  record Member(String id, String first, String last, String email, String username) {}

  @BeforeAll
  static void start() throws Exception {
    membersFile = dir.resolve("members.csv");
    List<String> lines = new ArrayList<>();
    lines.add("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry");
    LocalDate expiry = LocalDate.now().plusYears(1);
    for (int i = 1; i <= MEMBERS; i++) {
      lines.add(
          String.format(
              "W9%05d,2490%04d,Member%d,Browser,member%d@example.com,%s", i, i, i, i, expiry));
    }
    Files.write(membersFile, lines);
    chromium = Chromium.launch();
    dev = DevProcess.start(dir.resolve("data"), membersFile);
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
    PlaywrightAssertions.assertThat(visit.page().locator("main strong"))
        .hasText(member.username());
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
      visit.showsErrorAt("Username", "");
      PlaywrightAssertions.assertThat(visit.field("Username")).hasValue("No Spaces!");
      PlaywrightAssertions.assertThat(visit.field("Password")).hasValue("");

      visit
          .fill("Username", member.username())
          .fill("Password", PASSWORD)
          .fill("The same password again", PASSWORD)
          .press("Create my account");
      visit.at("Your account is ready", "ready");

      visit.follow("Log in to your account page").at("Log in", "login");
      visit.fill("Username", member.username()).fill("Password", "wrong password here");
      visit.press("Log in").at("Log in", "login-refused");
      PlaywrightAssertions.assertThat(visit.field("Username")).hasValue(member.username());
      visit.showsErrorAt("Password", "");

      visit.fill("Password", PASSWORD).press("Log in").at("Your account", "account");
      PlaywrightAssertions.assertThat(visit.page().locator("dl"))
          .containsText(member.first() + " " + member.last());
      PlaywrightAssertions.assertThat(visit.page().locator("dl")).containsText(member.email());

      visit.press("Log out").at("Log in", "logged-out");
      visit.open("/account");
      visit.at("Log in", "account-after-logout");
    }
  }
}
