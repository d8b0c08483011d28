package ie.skynet.accounts.account;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What the account feature keeps only while it is of use, for housekeeping to remove once it is
 * not: ended login sessions and expired SSH recovery challenges. Each works in the caller's
 * transaction; the tables stay their owners'.
 */
public final class EndedRecords {
  private EndedRecords() {}

  /**
   * Deletes the login sessions that ended by {@code now} (idle or too old).
   *
   * @return how many were deleted
   */
  public static int sessions(Connection c, Instant now) throws SQLException {
    return Sessions.removeEnded(c, now);
  }

  /**
   * Deletes the SSH recovery challenges that expired by {@code now}.
   *
   * @return how many were deleted
   */
  public static int sshChallenges(Connection c, Instant now) throws SQLException {
    return SshChallenges.removeExpired(c, now);
  }
}
