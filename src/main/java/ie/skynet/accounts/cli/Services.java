package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.lifecycle.GroupSync;
import ie.skynet.accounts.lifecycle.Housekeeping;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.WolvesApi;
import ie.skynet.accounts.ops.Doctor;
import ie.skynet.accounts.ops.Preflight;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxWorker;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/** What the commands use of the running system, each built once; the composition root has them. */
public interface Services {
  /**
   * The database; every command that writes to it migrates it first, and a dry run asks whether it
   * is current instead.
   */
  Database database();

  /** Every dependency checked as the service uses it: one result per check, nothing changed. */
  Doctor doctor();

  /** Rehearses a real signup end to end against the configured services. */
  Preflight preflight();

  MembershipImporter membershipImporter();

  /** The Wolves API, the second source of members; null when {@code wolves.api-url} is empty. */
  @Nullable WolvesApi wolvesApi();

  Outbox outbox();

  /** Sends queued mail through the configured SMTP server. */
  OutboxWorker outboxWorker();

  /**
   * Puts the members group, the login shells and the accounts' status in step with the memberships,
   * over a connection to the directory of its own.
   */
  GroupSync.Outcome syncGroups(boolean dryRun, boolean force);

  /**
   * Removes the personal data past its time ({@code retention.*}), or with {@code dryRun} only
   * counts it; recorded as the housekeeping job's last run unless a dry run.
   */
  Housekeeping.Outcome housekeeping(boolean dryRun);

  /**
   * Runs the web service, and the outbox worker beside it, until the process is stopped. Says on
   * {@code out} where it listens once it does.
   *
   * @return the exit code once stopped
   */
  int serve(PrintWriter out) throws InterruptedException;
}
