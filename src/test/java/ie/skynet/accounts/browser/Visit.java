package ie.skynet.accounts.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One member's browser on one screen: the tab they are on, the mailbox they switch to, and the
 * checks every page state gets (a screenshot for people to look at, and axe-core).
 */
final class Visit implements AutoCloseable {
  private static final Path SCREENSHOTS = DevProcess.projectRoot().resolve("target/screenshots");
  private static final Set<String> BLOCKING = Set.of("serious", "critical");
  private static final Duration MAIL_WAIT = Duration.ofSeconds(60);

  private final Screen screen;
  private final String flow;
  private final BrowserContext context;
  private final String base;
  private Page page;
  private int states;

  Visit(Chromium chromium, Screen screen, String flow, String base) {
    this.screen = screen;
    this.flow = flow;
    this.base = base;
    this.context = chromium.browser.newContext(screen.context());
    this.context.setDefaultTimeout(30_000);
    this.page = context.newPage();
  }

  private static final java.util.concurrent.atomic.AtomicBoolean cleared =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Screenshots of an earlier run would pass for states this run never reached. Cleared once per
   * test run, so one browser class starting does not delete what another has taken.
   */
  static void clearScreenshots() throws java.io.IOException {
    if (cleared.compareAndSet(false, true) && java.nio.file.Files.isDirectory(SCREENSHOTS)) {
      try (var paths = java.nio.file.Files.walk(SCREENSHOTS)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(path);
        }
      }
    }
  }

  Page page() {
    return page;
  }

  Visit open(String path) {
    page.navigate(path.startsWith("http") ? path : base + path);
    return this;
  }

  /** The page's heading is this, then the state is recorded: screenshot and accessibility. */
  Visit at(String heading, String state) {
    PlaywrightAssertions.assertThat(page.locator("h1")).hasText(heading);
    return seen(state);
  }

  /** A screenshot under target/screenshots, and no serious or critical axe-core violation. */
  Visit seen(String state) {
    states++;
    String name = String.format("%s-%02d-%s.png", flow, states, state);
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(SCREENSHOTS.resolve(screen.folder()).resolve(name))
            .setFullPage(true));
    // Wider than the screen means sideways scrolling on a phone, and zoomed-out text.
    Object overflow =
        page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue())
        .as("pixels %s is wider than the %s screen (%s)", page.url(), screen, state)
        .isLessThanOrEqualTo(0);
    AxeResults results = new AxeBuilder(page).analyze();
    assertThat(results.getPasses()).as("axe-core ran its rules on %s", page.url()).isNotEmpty();
    List<Rule> violations = results.getViolations();
    List<String> blocking =
        violations.stream()
            .filter(rule -> BLOCKING.contains(rule.getImpact()))
            .map(
                rule ->
                    rule.getImpact()
                        + " "
                        + rule.getId()
                        + ": "
                        + rule.getHelp()
                        + " at "
                        + rule.getNodes().stream()
                            .map(node -> node.getHtml())
                            .collect(Collectors.joining(", ")))
            .toList();
    assertThat(blocking).as("axe-core on %s (%s, %s)", page.url(), state, screen).isEmpty();
    return this;
  }

  Locator field(String label) {
    return page.getByLabel(label, new Page.GetByLabelOptions().setExact(true));
  }

  Visit fill(String label, String text) {
    field(label).fill(text);
    return this;
  }

  Visit press(String button) {
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(button).setExact(true))
        .click();
    return this;
  }

  /** The link named so, whose address a test may check. */
  Locator link(String name) {
    return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name));
  }

  Visit follow(String link) {
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(link)).first().click();
    return this;
  }

  /** A field of the form posting to {@code action}, where several forms label a field alike. */
  Locator inForm(String action, String label) {
    return page.locator("form[action=\"" + action + "\"]")
        .getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
  }

  Visit fillIn(String action, String label, String text) {
    inForm(action, label).fill(text);
    return this;
  }

  void showsErrorAt(String label, String error) {
    showsErrorAt(field(label), error);
  }

  /**
   * The field carries its error, marked invalid and described by it; and the top of the page says
   * that nothing was done, on screen and focused, with the error as a link to the field (issue 15,
   * 1: on the long account page the error alone was off screen).
   */
  void showsErrorAt(Locator field, String error) {
    Locator outcome = page.locator("#outcome");
    PlaywrightAssertions.assertThat(outcome).hasAttribute("role", "alert");
    PlaywrightAssertions.assertThat(outcome).isFocused();
    PlaywrightAssertions.assertThat(outcome).isInViewport();
    PlaywrightAssertions.assertThat(
            outcome
                .locator("a[href=\"#" + field.getAttribute("id") + "\"]")
                .filter(new Locator.FilterOptions().setHasText(error)))
        .hasCount(1);
    PlaywrightAssertions.assertThat(field).hasAttribute("aria-invalid", "true");
    String describedBy = field.getAttribute("aria-describedby");
    assertThat(describedBy).as("%s names its error", field).isNotNull();
    Locator description =
        page.locator(
            java.util.Arrays.stream(describedBy.split(" "))
                .map(id -> "[id=\"" + id + "\"]")
                .collect(Collectors.joining(", ")));
    assertThat(String.join(" ", description.allTextContents()))
        .as("what describes %s", field)
        .contains(error);
  }

  /** The top of the page says the form's change was made, on screen and focused. */
  void showsDone(String notice) {
    Locator outcome = page.locator("#outcome");
    PlaywrightAssertions.assertThat(outcome).hasAttribute("role", "status");
    PlaywrightAssertions.assertThat(outcome).containsText(notice);
    PlaywrightAssertions.assertThat(outcome).isFocused();
    PlaywrightAssertions.assertThat(outcome).isInViewport();
  }

  /**
   * Switches to the dev mailbox, as a member switches to their mail, and opens the link of the
   * newest mail to {@code to} whose link starts with {@code path}; this tab is then on that page.
   * Returns the link.
   */
  String openMailedLink(String to, String path) {
    Page mailbox = context.newPage();
    Locator link =
        awaitMails(mailbox, to, base + path)
            .first()
            .locator("a")
            .filter(new Locator.FilterOptions().setHasText(base + path))
            .first();
    String href = link.getAttribute("href");
    page.close();
    page = mailbox;
    link.click();
    return href;
  }

  /**
   * Switches to the dev mailbox, as a member switches to their mail, once a mail to {@code to}
   * saying all this has come; this tab is then the mailbox. Returns that mail, newest first.
   */
  Locator readMail(String to, String... texts) {
    Page mailbox = context.newPage();
    Locator mail = awaitMails(mailbox, to, texts).first();
    page.close();
    page = mailbox;
    return mail;
  }

  /**
   * Opens the HTML part of a mail {@link #readMail} returned, in this tab, as a mail app shows it;
   * returns its body.
   */
  Locator openHtmlPart(Locator mail) {
    mail.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Open the HTML part"))
        .click();
    page.waitForLoadState();
    return page.locator("body");
  }

  /** Taps the button of the mail's HTML part this tab shows, as a member does in their mail app. */
  Visit tapButton(String label) {
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(label).setExact(true))
        .click();
    return this;
  }

  /** Waits, as a member refreshing their inbox, for a mail to {@code to} that says all this. */
  void awaitMailSaying(String to, String... texts) {
    Page mailbox = context.newPage();
    try {
      awaitMails(mailbox, to, texts);
    } finally {
      mailbox.close();
    }
  }

  /** The mails to {@code to} saying all these, newest first, once there is one. */
  private Locator awaitMails(Page mailbox, String to, String... texts) {
    Instant deadline = Instant.now().plus(MAIL_WAIT);
    while (true) {
      mailbox.navigate(base + "/dev/mail");
      Locator mails =
          mailbox
              .locator("article.mail")
              .filter(new Locator.FilterOptions().setHasText("To " + to + ","));
      for (String text : texts) {
        mails = mails.filter(new Locator.FilterOptions().setHasText(text));
      }
      if (mails.count() > 0) {
        return mails;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "no mail to " + to + " saying " + List.of(texts) + " within " + MAIL_WAIT);
      }
      mailbox.waitForTimeout(300);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
