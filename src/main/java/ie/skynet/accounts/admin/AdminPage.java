package ie.skynet.accounts.admin;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.membership.Reject;
import ie.skynet.accounts.outbox.MailStatus;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxEntry;
import ie.skynet.accounts.templates.Page;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The admin pages, each with exactly what its template shows. */
public sealed interface AdminPage extends Page {
  /** Times as the committee reads them: to the second, in UTC, which every time here is. */
  java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
          .withZone(java.time.ZoneOffset.UTC);

  static String time(java.time.Instant at) {
    return TIME.format(at);
  }

  /**
   * What the service is doing, at a glance.
   *
   * @param accounts how many accounts have each status
   * @param lastImport the newest import run; null before the first
   * @param jobs every periodic job's last run (the syncs, housekeeping)
   * @param signupsWaiting requests (signup and recovery) not yet answered
   * @param recent the newest audit entries
   */
  record Dashboard(
      String csrf,
      LocalDate today,
      Memberships.Census members,
      Map<String, Long> accounts,
      ImportRunLog.@Nullable Run lastImport,
      List<JobLeases.Named> jobs,
      Outbox.Counts mail,
      long signupsWaiting,
      List<AuditLog.Recorded> recent,
      EventMode.@Nullable Event event)
      implements AdminPage {}

  /**
   * Event mode: on until when, the switch, and the projector link.
   *
   * @param event the event on now; null when none is
   * @param hours the lengths an admin may choose, in hours
   * @param projectorLink the link just made, shown once (only its hash is kept); empty otherwise
   * @param notice what the last action did; empty if none
   * @param error why the last action was refused; empty if it was not
   */
  record SignupEvent(
      String csrf,
      EventMode.@Nullable Event event,
      List<Integer> hours,
      String projectorLink,
      String notice,
      String error)
      implements AdminPage {}

  /**
   * The projector page at a signup event: the signup page's QR code and link, and counts without a
   * name or an address in them.
   *
   * @param signupUrl the signup page, from the configured base URL
   * @param hourAgo the start of the counts' hour
   * @param lastImportSeconds how long ago the last accepted import ended; -1 if none has
   * @param eventEnds when event mode ends; null when it is off
   * @param refreshes whether the page reloads itself: on the wall (the projector link), where
   *     nobody is at the keyboard and the counts are live; not for an admin reading it, whom a
   *     reload would move (WCAG 2.2.1)
   */
  record Projector(
      String signupUrl,
      SignupQr qr,
      java.time.Instant hourAgo,
      long mailsSent,
      long accountsCreated,
      long mailsWaiting,
      long mailsFailed,
      long lastImportSeconds,
      java.time.@Nullable Instant eventEnds,
      boolean refreshes)
      implements AdminPage {
    /** The link as people type it: browsers add the scheme themselves. */
    public String shownUrl() {
      return signupUrl.replaceFirst("^https?://", "");
    }
  }

  /**
   * Members found by a search.
   *
   * @param query what was searched for; empty for the latest
   */
  record Members(String csrf, LocalDate today, String query, List<Memberships.Listing> found)
      implements AdminPage {}

  /** The import history, newest first. */
  record Imports(String csrf, List<ImportRunLog.Run> runs) implements AdminPage {}

  /** One import run with every row it rejected. */
  record ImportRun(String csrf, ImportRunLog.Run run, List<Reject> rejects) implements AdminPage {}

  /**
   * The outbox, without bodies (they may hold one-time links).
   *
   * @param status the status shown; null for every status
   * @param notice what the last action did; empty if none
   */
  record Mail(
      String csrf,
      @Nullable MailStatus status,
      Outbox.Counts counts,
      List<OutboxEntry> mails,
      String notice)
      implements AdminPage {}

  /**
   * Accounts with their membership and status, and the form to disable or enable each.
   *
   * @param notice what the last action did; empty if none
   * @param error why the last action was refused; empty if it was not
   */
  record Accounts(
      String csrf,
      LocalDate today,
      String query,
      List<Memberships.Listing> found,
      String notice,
      String error)
      implements AdminPage {}

  /** The audit log, filtered. */
  record Audit(
      String csrf, AuditLog.Filter filter, List<String> actions, List<AuditLog.Recorded> entries)
      implements AdminPage {}

  @Override
  default String template() {
    return switch (this) {
      case Dashboard d -> "admin/dashboard.jte";
      case Members m -> "admin/members.jte";
      case Imports i -> "admin/imports.jte";
      case ImportRun r -> "admin/import-run.jte";
      case Mail m -> "admin/mail.jte";
      case Accounts a -> "admin/accounts.jte";
      case Audit a -> "admin/audit.jte";
      case SignupEvent e -> "admin/event.jte";
      case Projector p -> "admin/projector.jte";
    };
  }
}
