package ie.skynet.accounts.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import ie.skynet.accounts.app.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mails as members read them, in {@code accounts dev}'s mailbox on a phone and a laptop: each
 * kind of address gets the mail that fits it (issue 15, problem 3), the welcome mail and the done
 * page say what next (problem 9), and every mail shows both its parts, with a button in the HTML
 * part that a thumb can follow (problem 11).
 */
class MailBrowserIT {
  private static final String PASSWORD = "violet kettle harbour lantern";
  private static final int MEMBERS = 30;

  @TempDir static Path dir;
  private static Chromium chromium;
  private static DevProcess dev;
  private static List<String> export;

  @BeforeAll
  static void start() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    export = new ArrayList<>();
    export.add("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry");
    for (int i = 1; i <= MEMBERS; i++) {
      export.add(
          String.format(
              "W8%05d,2480%04d,Mail%d,Reader,mail%d@example.com,%s",
              i, i, i, i, today.plusYears(1)));
    }
    // Lapsed a month ago, one per screen, never with an account.
    for (Screen screen : Screen.values()) {
      export.add(
          String.format(
              "W8L%s,2480999%d,Lapsed%s,Reader,lapsed-%s@example.com,%s",
              screen.folder(),
              screen.ordinal(),
              screen.folder(),
              screen.folder(),
              today.minusMonths(1)));
    }
    Path members = dir.resolve("members.csv");
    Files.write(members, export);
    Visit.clearScreenshots();
    chromium = Chromium.launch();
    dev = DevProcess.start(dir.resolve("data"), members);
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

  private static Visit visit(Screen screen, String flow) {
    return new Visit(chromium, screen, flow, dev.base);
  }

  /** The member of the export this screen uses in this test. */
  private static String member(Screen screen, int test) {
    return "mail" + (test * 2 + screen.ordinal() + 1) + "@example.com";
  }

  /**
   * Asks for the signup mail from the form, as a member does; if the address asked a moment ago,
   * waits as the page says and sends it again with its button.
   */
  private static void askForMail(Visit visit, String email) {
    visit.open("/signup").at("Create your account", "signup");
    visit.fill("Your Wolves email address", email).press("Send me the link");
    visit.at("Check your email", "sent");
    Locator wait = visit.page().locator("p[role=alert]");
    if (wait.count() > 0) {
      String seconds = wait.textContent().replaceAll("(?s).*ask again in\\s+(\\d+).*", "$1");
      visit.page().waitForTimeout((Long.parseLong(seconds) + 1) * 1000.0);
      visit.press("Send it again").at("Check your email", "sent-again");
    }
    PlaywrightAssertions.assertThat(visit.page().locator("main"))
        .containsText("We have sent a mail");
  }

  /**
   * Reads the newest mail to {@code to} with this subject in the mailbox, its plain text and then
   * its HTML part, which this tab then shows: both say everything in {@code says} and nothing in
   * {@code never}.
   */
  private static void read(
      Visit visit, String to, String subject, String state, List<String> says, List<String> never) {
    Locator mail = visit.readMail(to, subject);
    visit.seen(state);
    Locator text = mail.locator("pre");
    for (String said : says) {
      PlaywrightAssertions.assertThat(text).containsText(said);
    }
    for (String unsaid : never) {
      PlaywrightAssertions.assertThat(text).not().containsText(unsaid);
    }
    Locator html = visit.openHtmlPart(mail);
    PlaywrightAssertions.assertThat(visit.page()).hasTitle(subject);
    visit.seen(state + "-html");
    for (String said : says) {
      PlaywrightAssertions.assertThat(html).containsText(said);
    }
    for (String unsaid : never) {
      PlaywrightAssertions.assertThat(html).not().containsText(unsaid);
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aStrangerAndALapsedMemberWithoutAnAccountEachGetTheMailThatFits(Screen screen) {
    String stranger = "stranger-" + screen.folder() + "@example.net";
    String lapsed = "lapsed-" + screen.folder() + "@example.com";
    try (Visit visit = visit(screen, "mail-unmatched")) {
      askForMail(visit, stranger);
      read(
          visit,
          stranger,
          "Skynet signup: this address is not on our membership list yet",
          "mail-not-found",
          List.of(
              "If you joined on Wolves recently",
              "Our copy of the membership list was last updated from Wolves on",
              "The next update has no fixed time", // dev imports by hand: no schedule to promise
              "If you are not a member yet"),
          List.of("comes back", "T0")); // no ISO times, such as 2026-12-01T00:10:00Z
      // The button works from the HTML part on this screen: back to the form to ask again.
      visit.tapButton("Ask again").at("Create your account", "asked-again");

      askForMail(visit, lapsed);
      read(
          visit,
          lapsed,
          "Your Skynet membership has ended: how to renew",
          "mail-lapsed",
          List.of(
              "Hello Lapsed" + screen.folder(),
              "Your Skynet membership ended on",
              "choose your username and password"),
          List.of("still here")); // they never had an account
      PlaywrightAssertions.assertThat(visit.link("Renew on Wolves"))
          .hasAttribute("href", "https://ulwolves.ie/society/computer");
    }
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void aMemberFollowsTheButtonIsToldWhatNextAndOnceLapsedThatTheAccountWaits(Screen screen)
      throws Exception {
    String email = member(screen, 0);
    String username = "mail" + screen.folder();
    try (Visit visit = visit(screen, "mail-member")) {
      askForMail(visit, email);
      read(
          visit,
          email,
          "Choose your Skynet username and password",
          "mail-verify",
          List.of("/signup/"),
          List.of());
      // The address is written out below the button, whole, for copying.
      PlaywrightAssertions.assertThat(visit.page().locator("span")).containsText("/signup/");
      visit.tapButton("Choose my username and password");
      visit.at("Choose your username and password", "choose");
      visit
          .fill("Username", username)
          .fill("Password", PASSWORD)
          .fill("The same password again", PASSWORD)
          .press("Create my account");
      visit.at("Your account is ready", "ready");
      PlaywrightAssertions.assertThat(
              visit
                  .page()
                  .getByRole(
                      com.microsoft.playwright.options.AriaRole.HEADING,
                      new com.microsoft.playwright.Page.GetByRoleOptions().setName("What next")))
          .isVisible();
      PlaywrightAssertions.assertThat(visit.page().locator("main pre"))
          .hasText("ssh " + username + "@skynet.ie");
      PlaywrightAssertions.assertThat(visit.page().locator("main a[href=\"https://skynet.ie\"]"))
          .isVisible();

      read(
          visit,
          email,
          "Welcome to Skynet",
          "mail-welcome",
          List.of("ssh " + username + "@skynet.ie", "https://skynet.ie"),
          List.of());
      visit.tapButton("Open your account page").at("Log in", "account-from-mail");

      lapse(email);
      askForMail(visit, email);
      read(
          visit,
          email,
          "Your Skynet membership has ended: how to renew",
          "mail-lapsed-with-account",
          List.of("Your account " + username + " is still here"),
          List.of("choose your username"));
    }
  }

  /**
   * Imports the export again with this member's membership lapsed yesterday, from the command line
   * against dev's configuration, as an operator would.
   */
  private static synchronized void lapse(String email) throws Exception {
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    for (int i = 1; i < export.size(); i++) {
      String line = export.get(i);
      if (line.contains("," + email + ",")) {
        export.set(i, line.substring(0, line.lastIndexOf(',') + 1) + yesterday);
      }
    }
    Path file = dir.resolve("lapsed-" + email + ".csv");
    Files.write(file, export);
    String config = dir.resolve("data/doctor.conf").toString();
    Cli.Result imported = Cli.run(Map.of(), "import-csv", "--config", config, file.toString());
    assertThat(imported.exit()).as(imported.all()).isZero();
  }
}
