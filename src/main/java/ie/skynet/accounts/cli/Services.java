package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.membership.MembershipImporter;

/** What the commands need from the running system; the composition root provides it. */
public interface Services {
  /** The migrations applied when the services started (start-up always migrates). */
  MigrationReport startupMigration();

  MembershipImporter membershipImporter();
}
