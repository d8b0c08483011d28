package ie.skynet.accounts.templates;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.account.AccountMail;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxEntry;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.signup.ListUpdates;
import ie.skynet.accounts.signup.SignupMail;
import ie.skynet.accounts.signup.WhatNext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mail's two templates take its record: jte checks them against the record when it compiles,
 * but which templates a record names is only known when it renders, so every mail renders here
 * once, both ways.
 */
class MailsTest {
  private static final Path TEXT = Path.of("src/main/jte/mail-text");
  private static final Path HTML = Path.of("src/main/jte/mail-html");
  private static final Instant WHEN = Instant.parse("2025-01-01T10:00:00Z");

  private static final Clock CLOCK = Clock.fixed(WHEN, ZoneOffset.UTC);
  private static final ZoneId DUBLIN = ZoneId.of("Europe/Dublin");
  private static final MailTime AT = new MailTime("Wednesday 1 January 2025 at 10:00 GMT");
  private static final WhatNext NEXT = new WhatNext("skynet.ie", "https://skynet.ie/services");

  @TempDir Path dir;
  private Database database;
  private Outbox outbox;
  private Mails mails;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    outbox = new Outbox(database, CLOCK, new SimpleMeterRegistry());
    mails = new Mails(new BaseUrl(URI.create("https://accounts.example/")), outbox, DUBLIN);
  }

  /** One of each mail, with something from its record that both its text and HTML show. */
  static Map<Mail, String> samples() {
    ListUpdates updates =
        new ListUpdates(AT, new MailTime("Wednesday 1 January 2025 at 18:00 GMT"));
    Map<Mail, String> samples = new LinkedHashMap<>();
    samples.put(
        new SignupMail.Verify("Aoife", "https://a.example/signup/x1", 24),
        "https://a.example/signup/x1");
    samples.put(
        new SignupMail.Existing("Aoife", "aoife", "https://a.example/recover/password"),
        "https://a.example/recover/password");
    samples.put(
        new SignupMail.NotFound(
            updates, "https://a.example/signup", "https://www.ulwolves.ie/society/skynet"),
        "https://www.ulwolves.ie/society/skynet");
    samples.put(
        new SignupMail.Lapsed(
            "Róisín",
            new MailTime("Sunday 31 August 2025"),
            null,
            "https://www.ulwolves.ie/society/skynet",
            updates,
            "https://a.example/signup"),
        "Sunday 31 August 2025");
    samples.put(
        new SignupMail.Welcome("Aoife", "aoife", NEXT, "https://a.example/account"),
        "ssh aoife@skynet.ie");
    samples.put(
        new AccountMail.Usernames(List.of(), "https://a.example/signup", true),
        "https://a.example/signup");
    samples.put(
        new AccountMail.Reset("aoife", "https://a.example/recover/password/x1", 60),
        "https://a.example/recover/password/x1");
    samples.put(new AccountMail.PasswordChanged("aoife", AT), AT.text());
    samples.put(
        new AccountMail.EmailVerify("aoife", "https://a.example/account/email/x1", 24),
        "https://a.example/account/email/x1");
    samples.put(
        new AccountMail.EmailChangeAsked("aoife", "new@example.com", 24), "new@example.com");
    samples.put(new AccountMail.EmailChanged("aoife", "new@example.com", AT), AT.text());
    samples.put(
        new AccountMail.SshKeysChanged("aoife", List.of("SHA256:abc (ed25519)"), List.of(), AT),
        "SHA256:abc (ed25519)");
    return samples;
  }

  @Test
  void everyMailRendersWithItsRecordBothWays() {
    samples()
        .forEach(
            (mail, shown) -> {
              OutgoingMail out = mails.render("aoife@example.com", mail);
              assertThat(out.to()).isEqualTo("aoife@example.com");
              assertThat(out.template()).as(mail.template()).isEqualTo(mail.kind());
              assertThat(out.subject()).as(mail.template()).isEqualTo(mail.subject());
              assertThat(out.text())
                  .as(mail.template())
                  .contains(shown)
                  .startsWith("Hello")
                  .endsWith("\n\nSkynet, the computer society\n")
                  .doesNotContain("\n\n\n")
                  .doesNotContain(" \n")
                  .doesNotContain("(UTC)");
              assertThat(out.html())
                  .as(mail.template())
                  .contains(shown)
                  .startsWith(
                      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
                  .contains(
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                  .contains("<title>" + escaped(mail.subject()) + "</title>")
                  .contains("Skynet, the computer society</p>");
              assertThat(out.html().stripTrailing()).endsWith("</body>\n</html>");
            });
  }

  private static String escaped(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;");
  }

  @Test
  void everyLinkIsAButtonWithItsAddressWrittenOutBelowForCopying() {
    samples()
        .forEach(
            (mail, shown) -> {
              OutgoingMail out = mails.render("aoife@example.com", mail);
              Matcher links = Pattern.compile("<a href=\"([^\"]+)\"").matcher(out.html());
              while (links.find()) {
                String link = links.group(1);
                // Every link the text part gives, the HTML gives too, and the other way round.
                assertThat(out.text()).as(mail.template()).contains(link.replace("&amp;", "&"));
              }
              Matcher buttons =
                  Pattern.compile(
                          "<a href=\"([^\"]+)\" style=\"display:inline-block;[^\"]*\">([^<]+)</a>")
                      .matcher(out.html());
              while (buttons.find()) {
                assertThat(out.html())
                    .as("%s: %s written out", mail.template(), buttons.group(2))
                    .contains(
                        "<span style=\"word-break:break-all; overflow-wrap:anywhere; color:#1f2937;\">"
                            + buttons.group(1)
                            + "</span>");
              }
            });
    OutgoingMail verify =
        mails.render(
            "aoife@example.com", new SignupMail.Verify("Aoife", "https://a.example/signup/x1", 24));
    assertThat(verify.html())
        .contains("<a href=\"https://a.example/signup/x1\" style=\"display:inline-block;")
        .contains(">Choose my username and password</a>");
  }

  @Test
  void timesAreWrittenForAPersonInTheSocietysZone() {
    assertThat(mails.time(Instant.parse("2025-01-01T10:00:00Z")).text())
        .isEqualTo("Wednesday 1 January 2025 at 10:00 GMT");
    // Summer time: the clock on the wall in Dublin, an hour ahead of UTC.
    assertThat(mails.time(Instant.parse("2025-07-01T10:00:00Z")).text())
        .isEqualTo("Tuesday 1 July 2025 at 11:00 IST");
    assertThat(mails.day(java.time.LocalDate.of(2025, 8, 31)).text())
        .isEqualTo("Sunday 31 August 2025");
    OutgoingMail changed =
        mails.render(
            "aoife@example.com",
            new AccountMail.PasswordChanged(
                "aoife", mails.time(Instant.parse("2025-07-01T10:00:00Z"))));
    assertThat(changed.text())
        .contains("Tuesday 1 July 2025 at 11:00 IST")
        .doesNotContain("T10:00");
  }

  @Test
  void aLapsedMemberIsToldOfTheirAccountOnlyIfTheyHaveOne() {
    ListUpdates updates = new ListUpdates(AT, null);
    OutgoingMail without =
        mails.render(
            "r@example.com",
            new SignupMail.Lapsed(
                "Róisín", AT, null, "https://w.example/join", updates, "https://a.example/signup"));
    assertThat(without.text())
        .contains("ended on " + AT.text())
        .contains("https://w.example/join")
        .contains("choose your username and password")
        .doesNotContain("still here")
        .doesNotContain("comes back");
    OutgoingMail with =
        mails.render(
            "r@example.com",
            new SignupMail.Lapsed(
                "Róisín",
                AT,
                "roisin",
                "https://w.example/join",
                updates,
                "https://a.example/signup"));
    assertThat(with.text())
        .contains("Your account roisin is still here")
        .doesNotContain("choose your username");
    assertThat(with.html()).contains("<strong>roisin</strong> is still here");
  }

  @Test
  void theNotFoundMailSaysWhenTheListWasAndWillBeUpdatedOrThatNoTimeIsFixed() {
    OutgoingMail scheduled =
        mails.render(
            "s@example.com",
            new SignupMail.NotFound(
                new ListUpdates(AT, new MailTime("Wednesday 1 January 2025 at 18:00 GMT")),
                "https://a.example/signup",
                "https://w.example/join"));
    assertThat(scheduled.subject()).doesNotContain("About your Skynet signup");
    assertThat(scheduled.text())
        .contains("last updated from Wolves on\n" + AT.text())
        .contains("The next update is expected on Wednesday 1 January 2025 at 18:00 GMT.")
        .contains("If you joined on Wolves recently")
        .contains("If you are not a member yet")
        .contains("https://w.example/join")
        .doesNotContain("comes back");
    OutgoingMail unscheduled =
        mails.render(
            "s@example.com",
            new SignupMail.NotFound(
                new ListUpdates(null, null), "https://a.example/signup", "https://w.example/join"));
    assertThat(unscheduled.text())
        .contains("has not been updated from Wolves yet")
        .contains("The next update has no fixed time")
        .doesNotContain("expected on");
    assertThat(unscheduled.html()).contains("The next update has no fixed time");
  }

  @Test
  void theWelcomeMailSaysWhereToLogInAndWhereTheServicesAre() {
    OutgoingMail welcome =
        mails.render(
            "aoife@example.com",
            new SignupMail.Welcome("Aoife", "aoife", NEXT, "https://a.example/account"));
    assertThat(welcome.text())
        .contains("    ssh aoife@skynet.ie\n")
        .contains("https://a.example/account")
        .contains("https://skynet.ie/services");
    assertThat(welcome.html())
        .contains("ssh aoife@skynet.ie</code>")
        .contains("<a href=\"https://skynet.ie/services\"");
  }

  @Test
  void everyMailTemplateHasASampleAndBothForms() throws IOException {
    List<String> text = templates(TEXT);
    assertThat(templates(HTML)).containsExactlyInAnyOrderElementsOf(text);
    assertThat(samples().keySet().stream().map(Mail::template).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(text);
  }

  @Test
  void everyKindNamesOneTemplate() {
    // The outbox keeps only the kind once a mail is sent: it must say which mail that was.
    Map<String, String> templates = new LinkedHashMap<>();
    samples()
        .keySet()
        .forEach(
            mail ->
                assertThat(templates.putIfAbsent(mail.kind(), mail.template()))
                    .as(mail.kind())
                    .isIn(null, mail.template()));
    assertThat(templates).hasSize(samples().size());
  }

  @Test
  void theHtmlEscapesWhatTheRecordHoldsAndTheTextShowsItAsIs() {
    OutgoingMail out =
        mails.render(
            "aoife@example.com",
            new SignupMail.Existing("<b>Aoife</b>", "aoife", "https://a.example/r?a=1&b=2"));
    assertThat(out.html())
        .contains("Hello &lt;b&gt;Aoife&lt;/b&gt;,")
        .contains("href=\"https://a.example/r?a=1&amp;b=2\"");
    assertThat(out.text()).contains("Hello <b>Aoife</b>,").contains("https://a.example/r?a=1&b=2");
  }

  @Test
  void linksStartAtTheConfiguredBaseUrl() {
    assertThat(mails.link("/signup/t1")).isEqualTo("https://accounts.example/signup/t1");
  }

  @Test
  void aQueuedMailWaitsRenderedInTheOutbox() {
    database.runInTransaction(
        "queueing",
        c ->
            mails.queue(
                c,
                "aoife@example.com",
                new SignupMail.Welcome("Aoife", "aoife", NEXT, "https://a.example/account")));
    List<OutboxEntry> queued = outbox.list(null, 10);
    assertThat(queued).hasSize(1);
    assertThat(queued.get(0).to()).isEqualTo("aoife@example.com");
    assertThat(queued.get(0).template())
        .isEqualTo(new SignupMail.Welcome("A", "a", NEXT, "x").kind());
  }

  @Test
  void anAccountWithoutADeliverableAddressIsMailedNothing() {
    database.runInTransaction(
        "queueing",
        c -> {
          AccountMail mail = new AccountMail.PasswordChanged("aoife", AT);
          mails.queueIfDeliverable(c, null, mail);
          mails.queueIfDeliverable(c, "aoife@example.com\r\nBcc: x@example.com", mail);
          mails.queueIfDeliverable(c, "not an address", mail);
        });
    assertThat(outbox.list(null, 10)).isEmpty();
    database.runInTransaction(
        "queueing",
        c ->
            mails.queueIfDeliverable(
                c, "aoife@example.com", new AccountMail.PasswordChanged("aoife", AT)));
    assertThat(outbox.list(null, 10)).hasSize(1);
  }

  @Test
  void theUsernamesMailIsTitledForWhatItsBodySays() {
    assertThat(new AccountMail.Usernames(List.of("aoife"), "https://a.example/signup", true))
        .extracting(Mail::subject)
        .isEqualTo("Your Skynet username");
    assertThat(
            new AccountMail.Usernames(List.of("aoife", "aoife2"), "https://a.example/signup", true))
        .extracting(Mail::subject)
        .isEqualTo("Your Skynet usernames");
    // Asked for usernames, or for a reset link, by an address no account uses: the body says so.
    for (boolean asked : List.of(true, false)) {
      AccountMail.Usernames none =
          new AccountMail.Usernames(List.of(), "https://a.example/signup", asked);
      assertThat(none.subject()).isEqualTo("No Skynet account uses this address");
      assertThat(mails.render("a@example.com", none).text()).contains("No Skynet account uses it.");
    }
    assertThat(
            mails
                .render(
                    "a@example.com",
                    new AccountMail.Usernames(List.of(), "https://a.example/signup", false))
                .text())
        .contains("asked for a link to set a new password");
  }

  private static List<String> templates(Path root) throws IOException {
    Stream<Path> files = Files.walk(root);
    try (files) {
      return files
          .filter(file -> file.toString().endsWith(".jte"))
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(name -> !name.startsWith("parts/")) // shared pieces, not mails
          .toList();
    }
  }
}
