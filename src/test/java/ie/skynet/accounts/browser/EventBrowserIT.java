package ie.skynet.accounts.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A signup event in the browser, against {@code bin/accounts dev} as its own process: a hall meets
 * its network's share and is told the network is busy; an admin switches event mode on for a stated
 * time, makes the projector link and switches it off; the projector page is photographed at a
 * projector's 1920×1080 too, and its QR code read back from the picture as a phone would.
 */
class EventBrowserIT {
  private static final String PASSWORD = "violet kettle harbour lantern";

  /** Small, so a few signups use the network's share as a hall's hundreds would. */
  private static final int CLIENT_BURST = 2;

  @org.junit.jupiter.api.io.TempDir static Path dir;
  private static Chromium chromium;
  private static DevProcess dev;
  private static final AtomicInteger nextStudent = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Path members = DevData.export(dir.resolve("members.csv"), "W8", "hall", 20);
    Visit.clearScreenshots();
    chromium = Chromium.launch();
    dev =
        DevProcess.start(
            dir.resolve("data"),
            members,
            Map.of(
                "ACCOUNTS_LIFECYCLE_ADMINS",
                "eventphone,eventdesktop",
                "ACCOUNTS_SIGNUP_CLIENT_BURST",
                Integer.toString(CLIENT_BURST)));
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

  /**
   * Students ask for signup mail until the hall's share is used: the next one is told the network
   * is busy, and that nothing was sent to them.
   */
  private static void askUntilTheNetworkIsBusy(Visit student) {
    for (int asked = 0; asked <= CLIENT_BURST; asked++) {
      String email = "hall" + nextStudent.incrementAndGet() + "@example.com";
      student.open("/signup").at("Create your account", "signup");
      student.fill("Your Wolves email address", email).press("Send me the link");
      if (student.page().locator("h1").textContent().equals("Your network is busy")) {
        student.at("Your network is busy", "network-busy");
        PlaywrightAssertions.assertThat(student.page().getByRole(AriaRole.ALERT))
            .containsText("Nothing was sent to " + email + " yet");
        PlaywrightAssertions.assertThat(student.page().locator("main"))
            .not()
            .containsText("You asked");
        return;
      }
      student.at("Check your email", "signup-sent");
    }
    throw new AssertionError(
        "the network's share of " + CLIENT_BURST + " lasted past " + (CLIENT_BURST + 1) + " asks");
  }

  @ParameterizedTest
  @EnumSource(Screen.class)
  void anAdminSwitchesEventModeOnForAHallThatWasToldTheNetworkIsBusyAndOffAgain(Screen screen)
      throws Exception {
    String username = "event" + screen.folder();
    DevData.person(dir.resolve("data"), username, PASSWORD);
    try (Visit student = new Visit(chromium, screen, "event-student", dev.base);
        Visit admin = new Visit(chromium, screen, "event-admin", dev.base)) {
      askUntilTheNetworkIsBusy(student);

      admin.open("/login").at("Log in", "login");
      admin.fill("Username", username).fill("Password", PASSWORD).press("Log in");
      admin.open("/admin").at("Admin dashboard", "dashboard-off");
      PlaywrightAssertions.assertThat(admin.page().locator(".figures a[href='/admin/event']"))
          .hasText("off");
      admin
          .page()
          .locator("nav.admin")
          .getByRole(
              AriaRole.LINK,
              new com.microsoft.playwright.Locator.GetByRoleOptions()
                  .setName("Signup event")
                  .setExact(true))
          .click();
      admin.at("Signup event", "event-off");
      admin.field("For how long").selectOption("3");
      admin.press("Switch event mode on").at("Signup event", "event-on");
      PlaywrightAssertions.assertThat(admin.page().getByRole(AriaRole.STATUS))
          .containsText("Event mode is on until");

      // The student who was told to wait tries again, and the mail is on its way.
      student.press("Try again").at("Check your email", "sent-during-event");
      PlaywrightAssertions.assertThat(student.page().locator("main"))
          .containsText("We have sent a mail to");

      admin.open("/admin").at("Admin dashboard", "dashboard-on");
      PlaywrightAssertions.assertThat(admin.page().locator(".figures a[href='/admin/event']"))
          .containsText("on until");
      admin.open("/admin/event").at("Signup event", "event-on-again");
      admin.press("Make a projector link").at("Signup event", "projector-link");
      String link = admin.page().locator("main code").textContent();
      assertThat(link).startsWith(dev.base + "/event/");

      // The projector page as an admin reads it: the same page, without reloading itself.
      admin.open("/event").at("Sign up for Skynet", "projector-admin");
      PlaywrightAssertions.assertThat(admin.page().locator(".counts")).containsText("Mails sent");
      assertThat(qrCodeOnScreen(admin)).isEqualTo(dev.base + "/signup");

      // On the wall, where nobody is logged in: the student's browser will do.
      student.open(link);
      onTheWall(student, screen.folder(), "projector-" + screen.folder());
      if (screen == Screen.DESKTOP) {
        // As the room sees it: a projector's screen, read from the back row.
        student.page().setViewportSize(1920, 1080);
        student.open(link);
        onTheWall(student, "projector", "projector-1920x1080");
      }

      admin.open("/admin/event").at("Signup event", "event-on-before-off");
      admin.press("Switch event mode off").at("Signup event", "event-switched-off");
      PlaywrightAssertions.assertThat(admin.page().getByRole(AriaRole.STATUS))
          .containsText("Event mode is off");
      student.open(link).at("This projector link does not work", "projector-link-ended");
    }
  }

  /**
   * The wall's projector page recorded as {@link Visit#seen} records a state: a screenshot, nothing
   * wider than the screen, and axe-core clean but for one rule. The wall's page reloads itself
   * every 30 s, which axe's meta-refresh rule refuses under WCAG 2.2.1; that criterion excepts
   * real-time events, and live counts on a projector nobody operates are one. The admins' view of
   * the same page does not reload, and passes every rule through {@link Visit#at}.
   */
  private static void onTheWall(Visit visit, String folder, String state) throws Exception {
    Page page = visit.page();
    PlaywrightAssertions.assertThat(page.locator("h1")).hasText("Sign up for Skynet");
    PlaywrightAssertions.assertThat(page.locator("meta[http-equiv=refresh]")).hasCount(1);
    PlaywrightAssertions.assertThat(page.locator(".counts")).containsText("Accounts made");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(
                DevProcess.projectRoot()
                    .resolve("target/screenshots")
                    .resolve(folder)
                    .resolve("event-" + state + ".png"))
            .setFullPage(true));
    Object overflow =
        page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue()).as("sideways scrolling on %s", state).isZero();
    AxeResults results = new AxeBuilder(page).disableRules(List.of("meta-refresh")).analyze();
    assertThat(results.getPasses()).isNotEmpty();
    assertThat(
            results.getViolations().stream()
                .filter(rule -> Set.of("serious", "critical").contains(rule.getImpact()))
                .map(rule -> rule.getId() + ": " + rule.getHelp())
                .toList())
        .as("axe-core on the wall's projector page (%s)", state)
        .isEmpty();
    assertThat(qrCodeOnScreen(visit)).isEqualTo(dev.base + "/signup");
  }

  /** The QR code as drawn on the page, read from a screenshot of it as a phone's camera would. */
  private static String qrCodeOnScreen(Visit visit) throws Exception {
    byte[] png = visit.page().locator(".qr svg").screenshot();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    return new QRCodeReader()
        .decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
        .getText();
  }
}
