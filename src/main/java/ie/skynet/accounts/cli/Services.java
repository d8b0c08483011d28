package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxWorker;

/** What the commands need from the running system; the composition root provides it. */
public interface Services {
  /** Brings the database up to date; every command that uses it calls this first. */
  MigrationReport migrate();

  /** Whether the database exists at the newest schema, found without writing anything. */
  boolean databaseIsCurrent();

  String databaseUrl();

  MembershipImporter membershipImporter();

  Outbox outbox();

  /** Sends queued mail through the configured SMTP server. */
  OutboxWorker outboxWorker();
}
