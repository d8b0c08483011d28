package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.BackupReport;
import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxWorker;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What the commands need from the running system; the composition root provides it. */
public interface Services {
  /** Brings the database up to date; every command that uses it calls this first. */
  MigrationReport migrate();

  /** Every dependency checked as the service uses it: one result per check, nothing changed. */
  java.util.List<ie.skynet.accounts.ops.CheckResult> doctor();

  /**
   * Rehearses a real signup end to end against the configured services and removes what it made.
   *
   * @param link where to read the link the operator pastes from the mail; null not to wait
   * @return whether every step passed
   */
  boolean preflight(
      String email,
      java.io.@org.jspecify.annotations.Nullable BufferedReader link,
      PrintWriter out);

  /** Whether the database exists at the newest schema, found without writing anything. */
  boolean databaseIsCurrent();

  String databaseUrl();

  /**
   * Writes a checked, consistent copy of the database to {@code target} while the service may be
   * running, without migrating it first.
   *
   * @param replace whether an existing backup at {@code target} may be replaced
   */
  BackupReport backup(Path target, boolean replace);

  MembershipImporter membershipImporter();

  Outbox outbox();

  /** Sends queued mail through the configured SMTP server. */
  OutboxWorker outboxWorker();

  /**
   * Runs the web service, and the outbox worker beside it, until the process is stopped. Says on
   * {@code out} where it listens once it does.
   *
   * @return the exit code once stopped
   */
  int serve(PrintWriter out) throws InterruptedException;
}
