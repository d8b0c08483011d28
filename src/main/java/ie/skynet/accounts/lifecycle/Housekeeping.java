package ie.skynet.accounts.lifecycle;

import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.Transactions;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.Outbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Removes the personal data the service no longer needs (GDPR: kept no longer than needed), each
 * table by its owner: memberships of people who never made an account, {@code
 * retention.unlinked-member-months} after their expiry; ended sessions; expired SSH challenges;
 * links a week after they expired; requests still waiting after a week; sent mail and failed mail
 * after {@code retention.sent-mail-days} and {@code retention.failed-mail-days}; audit entries
 * after {@code retention.audit-days}. One pass is one transaction, recorded in the audit log with
 * its counts: it removes everything or nothing.
 *
 * @param sessions removes ended login sessions (the account feature's, which this one cannot see)
 * @param sshChallenges removes expired SSH recovery challenges (the account feature's)
 */
public record Housekeeping(
    Database database,
    Memberships memberships,
    Links links,
    AskQueue asks,
    Outbox outbox,
    AuditLog audit,
    Sweep sessions,
    Sweep sshChallenges,
    RetentionSettings settings,
    Clock clock) {

  /** The name of the job: the command, the actor and action of its audit entries, its lease. */
  public static final String JOB = "housekeeping";

  /** How often {@code serve} makes a pass. */
  public static final java.time.Duration PERIOD = java.time.Duration.ofDays(1);

  /**
   * How long a link is kept after it expired: opened again meanwhile, it is still told apart as
   * used or expired, not unknown.
   */
  static final Duration LINKS_KEPT = Duration.ofDays(7);

  /** How long a request may wait for its mail before it is dropped unanswered. */
  static final Duration ASKS_KEPT = Duration.ofDays(7);

  /**
   * Removes what has ended by {@code now} from a table another feature owns, in this transaction.
   */
  @FunctionalInterface
  public interface Sweep {
    /**
     * @return how many rows were removed
     */
    int remove(Connection c, Instant now) throws SQLException;
  }

  /** How many rows a pass removed (or, in a dry run, would remove), by what they were. */
  public record Counts(
      int unlinkedMembers,
      int sessions,
      int sshChallenges,
      int links,
      int asks,
      int sentMail,
      int failedMail,
      int auditEntries) {

    public int total() {
      return unlinkedMembers
          + sessions
          + sshChallenges
          + links
          + asks
          + sentMail
          + failedMail
          + auditEntries;
    }

    /** The counts in words, for the audit log, the job's record and the command. */
    public String summary() {
      return String.format(
          "removed %d unlinked members, %d sessions, %d SSH challenges, %d links, %d requests,"
              + " %d sent mails, %d failed mails, %d audit entries",
          unlinkedMembers,
          sessions,
          sshChallenges,
          links,
          asks,
          sentMail,
          failedMail,
          auditEntries);
    }
  }

  /** How a pass ended. */
  public sealed interface Outcome {
    Counts counts();

    /** Everything counted was removed, and the pass recorded in the audit log. */
    record Done(Counts counts) implements Outcome {}

    /** Nothing was removed: asked only to count. */
    record DryRun(Counts counts) implements Outcome {}
  }

  /**
   * Removes what is past its time, or only counts it.
   *
   * @throws DatabaseException if the pass fails; nothing was removed, and the failure is in the
   *     audit log if the database would still take it
   */
  public Outcome run(boolean dryRun) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    try {
      Counts counts = inOneTransaction(now, dryRun);
      return dryRun ? new Outcome.DryRun(counts) : new Outcome.Done(counts);
    } catch (RuntimeException e) {
      if (!dryRun) {
        recordFailure(e);
      }
      throw e;
    }
  }

  /** The pass, committed unless a dry run: then its counts are exact, and rolled back. */
  private Counts inOneTransaction(Instant now, boolean dryRun) {
    try (Connection connection = database.connect()) {
      return Transactions.inTransaction(connection, c -> pass(c, now, dryRun), counts -> !dryRun);
    } catch (SQLException e) {
      throw new DatabaseException("housekeeping failed", e);
    }
  }

  private Counts pass(Connection c, Instant now, boolean dryRun) throws SQLException {
    LocalDate today = LocalDate.ofInstant(now, clock.getZone());
    Counts counts =
        new Counts(
            memberships.forgetUnlinkedExpiredBy(
                c, today.minusMonths(settings.unlinkedMemberMonths())),
            sessions.remove(c, now),
            sshChallenges.remove(c, now),
            links.forgetExpiredBy(c, now.minus(LINKS_KEPT)),
            asks.forgetAskedBy(c, now.minus(ASKS_KEPT)),
            outbox.forgetSentBy(c, now.minus(Duration.ofDays(settings.sentMailDays()))),
            outbox.forgetFailedBy(c, now.minus(Duration.ofDays(settings.failedMailDays()))),
            audit.forgetUpTo(c, now.minus(Duration.ofDays(settings.auditDays()))));
    if (!dryRun) {
      audit.record(c, entry(AuditLog.Outcome.DONE, counts.summary()));
    }
    return counts;
  }

  /**
   * The audit log knows only done and refused: a pass that failed is recorded as refused, saying it
   * failed and that nothing was removed (its transaction was rolled back).
   */
  private void recordFailure(Exception failure) {
    try {
      audit.record(
          database,
          entry(AuditLog.Outcome.REFUSED, "failed, nothing was removed: " + failure.getMessage()));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static AuditLog.Entry entry(AuditLog.Outcome outcome, String detail) {
    return new AuditLog.Entry(JOB, JOB, AuditLog.ANONYMOUS, AuditLog.ANONYMOUS, outcome, detail);
  }
}
