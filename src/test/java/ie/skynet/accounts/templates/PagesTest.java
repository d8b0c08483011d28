package ie.skynet.accounts.templates;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.account.AccountFeedback;
import ie.skynet.accounts.account.AccountPage;
import ie.skynet.accounts.account.AccountView;
import ie.skynet.accounts.account.RecoveryPage;
import ie.skynet.accounts.admin.AdminPage;
import ie.skynet.accounts.admin.SignupQr;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.dev.MailboxPage;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.membership.Reject;
import ie.skynet.accounts.outbox.MailStatus;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxEntry;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.signup.SignupPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each page's template takes its record: jte checks the template against the record when it
 * compiles, but which template a record names is only known when it renders, so every page renders
 * here once.
 */
class PagesTest {
  private static final Path TEMPLATES = Path.of("src/main/jte/pages");

  private final Pages pages = new Pages();

  /** One of each page, with the title it shows. */
  private static Map<Page, String> samples() {
    Map<Page, String> samples = new LinkedHashMap<>();
    samples.put(new HomePage("https://wolves.example/society/skynet"), "Your Skynet account");
    samples.put(new ErrorPage("Page not found", "No page here.", "0a1b2c"), "Page not found");
    samples.put(
        new MailboxPage(
            List.of(
                new DevMail(
                    "aoife@example.com",
                    "Your signup link",
                    Instant.parse("2025-01-01T00:00:00Z"),
                    List.of(
                        new DevMail.Run("Open ", false),
                        new DevMail.Run("https://a.example/signup/x1", true)),
                    "<!DOCTYPE html><html><head></head><body><p>Hi</p></body></html>",
                    0))),
        "Dev mailbox");
    samples.put(new SignupPage.Request("tok", "a<b@example.com", ""), "Create your account");
    samples.put(new SignupPage.Sent("tok", "aoife@example.com", 0, false), "Check your email");
    samples.put(new SignupPage.Sent("tok", "aoife@example.com", 300, true), "Your network is busy");
    samples.put(
        new SignupPage.Choose(
            "tok",
            "/signup/x1",
            "aoife@example.com",
            "aoife",
            "Lower-case letters.",
            "",
            "",
            List.of("Too short."),
            "",
            ""),
        "Choose your username and password");
    samples.put(
        new SignupPage.Done(
            "aoife",
            true,
            new ie.skynet.accounts.signup.WhatNext("skynet.ie", "https://skynet.ie")),
        "Your account is ready");
    samples.put(
        LinkProblemPage.of(
            new LinkCheck.Expired(),
            new LinkProblemPage.Wording("Ask for a new one.", "", "/signup", "Ask for a new link")),
        "This link has expired");
    samples.put(new AccountPage.Login("tok", "aoife", "", "You are logged out."), "Log in");
    samples.put(
        new AccountPage.Overview(
            "tok",
            new AccountView(
                "aoife",
                "Aoife Murphy",
                "aoife@example.com",
                List.of(),
                LocalDate.of(2025, 9, 30),
                true,
                null,
                false),
            new AccountFeedback("", "", List.of(), "", "", "", "", "", "", ""),
            "https://wolves.example/society/skynet",
            false),
        "Your account");
    samples.put(
        new AccountPage.EmailConfirm("tok", "/account/email/x1", "aoife", "new@example.com"),
        "Confirm your new address");
    samples.put(new RecoveryPage.Username("tok", "", ""), "Forgot your username?");
    samples.put(new RecoveryPage.Password("tok", "", ""), "Forgot your password?");
    samples.put(
        new RecoveryPage.Sent("aoife@example.com", 0, false, "We have mailed it."),
        "Check your email");
    samples.put(
        new RecoveryPage.Reset("tok", "/recover/password/x1", "aoife", List.of(), ""),
        "Choose a new password");
    samples.put(new RecoveryPage.SshRequest("tok", "", "", ""), "Recover with your SSH key");
    samples.put(
        new RecoveryPage.SshChallenge("tok", "aoife", "text to sign", 10, "", ""),
        "Sign this with your SSH key");
    Instant at = Instant.parse("2026-11-26T12:00:00Z");
    LocalDate today = LocalDate.of(2026, 11, 26);
    var run =
        new ImportRunLog.Run(
            7, at, at, "rejected", "/srv/members.csv", false, 3, 0, 0, 0, 1, "1 row rejected");
    var listings =
        List.of(
            new Memberships.Listing(
                "W1", "241", "a<b@example.com", today, "Aoife Murphy", "aoife", "disabled"),
            new Memberships.Listing("W2", null, "b@example.com", today, "Sean", null, null));
    var recorded =
        List.of(
            new AuditLog.Recorded(
                at,
                new AuditLog.Entry(
                    "committee",
                    "account-disabled",
                    "aoife",
                    "10.0.0.1",
                    AuditLog.Outcome.DONE,
                    "why")));
    samples.put(
        new AdminPage.Dashboard(
            "tok",
            today,
            new Memberships.Census(10, 8),
            Map.of("active", 3L, "expired", 1L, "disabled", 0L),
            run,
            List.of(
                new JobLeases.Named("sync-groups", new JobLeases.LastRun(at, null, null, "")),
                new JobLeases.Named(
                    "housekeeping", new JobLeases.LastRun(at, at, "failed", "disk full"))),
            new Outbox.Counts(1, 0, 0, 5, 2),
            4,
            recorded,
            new EventMode.Event(at, "committee", at.plusSeconds(7200), false)),
        "Admin dashboard");
    samples.put(
        new AdminPage.SignupEvent(
            "tok",
            new EventMode.Event(at, "committee", at.plusSeconds(7200), true),
            List.of(1, 2),
            "https://a.example/event/x1",
            "Event mode is on",
            ""),
        "Signup event");
    samples.put(
        new AdminPage.Projector(
            "https://a.example/signup",
            SignupQr.of("https://a.example/signup"),
            at,
            12,
            9,
            3,
            1,
            3600,
            at.plusSeconds(7200),
            true),
        "Sign up for Skynet");
    samples.put(new AdminPage.Members("tok", today, "aoife", listings), "Members");
    samples.put(new AdminPage.Imports("tok", List.of(run)), "Imports");
    samples.put(
        new AdminPage.ImportRun(
            "tok", run, List.of(new Reject(3, 5, "Contact Email", "not an address"))),
        "Import of 2026-11-26 12:00:00");
    samples.put(
        new AdminPage.Mail(
            "tok",
            MailStatus.FAILED,
            new Outbox.Counts(1, 0, 0, 5, 2),
            List.of(
                new OutboxEntry(
                    3,
                    "a@example.com",
                    "signup/verify",
                    "Your link",
                    MailStatus.FAILED,
                    5,
                    at,
                    "550 no",
                    at,
                    null)),
            "1 mail is queued"),
        "Mail");
    samples.put(
        new AdminPage.Accounts("tok", today, "aoife", listings, "done", "refused"), "Accounts");
    samples.put(
        new AdminPage.Audit(
            "tok", new AuditLog.Filter("", "login", ""), List.of("login"), recorded),
        "Audit log");
    return samples;
  }

  @Test
  void everyPageRendersWithItsRecord() {
    samples()
        .forEach(
            (page, title) ->
                assertThat(pages.render(page))
                    .as(page.template())
                    .contains("<title>" + title + " · Skynet Accounts</title>"));
  }

  @Test
  void everyPageTemplateHasASample() throws IOException {
    Stream<Path> files = Files.walk(TEMPLATES);
    try (files) {
      assertThat(samples().keySet().stream().map(Page::template).collect(Collectors.toSet()))
          .containsExactlyInAnyOrderElementsOf(
              files
                  .filter(file -> file.toString().endsWith(".jte"))
                  .map(file -> TEMPLATES.relativize(file).toString().replace('\\', '/'))
                  // The frame around every page, called by the pages; never rendered alone.
                  .filter(template -> !template.equals("layout.jte"))
                  // Parts of the admin pages, called by them.
                  .filter(
                      template ->
                          !List.of(
                                  "admin/nav.jte",
                                  "admin/audit-table.jte",
                                  "admin/listing-table.jte")
                              .contains(template))
                  .toList());
    }
  }

  @Test
  void addressFieldsTakeNoMoreThanTheEmailRuleAllows() {
    assertThat(pages.render(new SignupPage.Request("tok", "", "")))
        .contains("maxlength=\"" + EmailShape.MAX_LENGTH + "\"");
    assertThat(EmailShape.MAX_LENGTH).isEqualTo(254);
  }

  /** A phone must not capitalise or "correct" a username as it is typed (issue 15, 12). */
  @Test
  void everyUsernameFieldIsTypedAsIs() {
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    samples()
        .keySet()
        .forEach(
            page -> {
              String html = pages.render(page);
              java.util.regex.Matcher fields =
                  java.util.regex.Pattern.compile("<input[^>]*autocomplete=\"username\"[^>]*>")
                      .matcher(html);
              while (fields.find()) {
                seen.incrementAndGet();
                assertThat(fields.group())
                    .as(page.template())
                    .contains(
                        "autocapitalize=\"none\"", "autocorrect=\"off\"", "spellcheck=\"false\"");
              }
            });
    assertThat(seen).hasValueGreaterThanOrEqualTo(4); // login, choose, two recovery forms
  }

  @Test
  void aWaitOfOneSecondIsOneSecond() {
    assertThat(pages.render(new SignupPage.Sent("tok", "aoife@example.com", 1, false)))
        .contains("1 second.")
        .doesNotContain("1 seconds");
    assertThat(pages.render(new SignupPage.Sent("tok", "aoife@example.com", 30, false)))
        .contains("30 seconds.");
    assertThat(pages.render(new SignupPage.Sent("tok", "aoife@example.com", 1, true)))
        .contains("1 second.")
        .doesNotContain("1 seconds");
    assertThat(pages.render(new SignupPage.Sent("tok", "aoife@example.com", 540, true)))
        .contains("again in 9 minutes.");
  }

  @Test
  void aBusyNetworkNeverSaysThePersonAsked() {
    String busy = pages.render(new SignupPage.Sent("tok", "aoife@example.com", 60, true));
    assertThat(busy)
        .contains("<h1>Your network is busy</h1>")
        .contains("Nothing was sent to aoife@example.com yet")
        .doesNotContain("You asked")
        .doesNotContain("a moment ago");
    assertThat(pages.render(new RecoveryPage.Sent("aoife@example.com", 1, false, "")))
        .contains("1 second.")
        .doesNotContain("1 seconds");
  }

  @Test
  void theAdminPagesEscapeWhatMembersTyped() {
    String page =
        pages.render(
            new AdminPage.Members(
                "tok",
                LocalDate.of(2026, 11, 26),
                "<script>",
                List.of(
                    new Memberships.Listing(
                        "W1",
                        null,
                        "a<b@example.com",
                        LocalDate.of(2026, 11, 26),
                        "<img src=x onerror=alert(1)>",
                        null,
                        null))));
    assertThat(page)
        .contains("a&lt;b@example.com")
        .contains("&lt;img src=x onerror=alert(1)&gt;")
        .doesNotContain("<img src=x")
        .doesNotContain("value=\"<script>\"");
  }

  @Test
  void whatAPageShowsIsEscaped() {
    assertThat(pages.render(new SignupPage.Request("tok", "a<b@example.com", "")))
        .contains("value=\"a&lt;b@example.com\"")
        .contains("name=\"csrf\" value=\"tok\"");
    assertThat(pages.render(new ErrorPage("Oops", "<script>", "")))
        .doesNotContain("<script>")
        .doesNotContain("quote <code>");
  }
}
