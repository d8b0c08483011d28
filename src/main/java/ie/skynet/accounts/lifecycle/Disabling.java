package ie.skynet.accounts.lifecycle;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.DirectoryException;
import ie.skynet.accounts.membership.Memberships;

/**
 * An admin disabling an account, or enabling it again, with a reason the audit log keeps. A
 * disabled account can do nothing: it cannot log in or recover, and it loses the members group and
 * its shell at once, whatever its membership says. Enabled again, its membership decides.
 *
 * <p>The status is the service's own record and changes first: from then on the account is refused
 * here. The directory follows; if that fails, the status stands and the next sync makes the
 * directory agree.
 */
public record Disabling(
    Database database, Memberships memberships, GroupSync sync, AuditLog audit) {

  /** The longest reason kept: a sentence or two, not a document. */
  public static final int MAX_REASON = 500;

  /** How a request to disable or enable ended. */
  public sealed interface Result {
    /** Changed here and in the directory. */
    record Changed(boolean access) implements Result {}

    /** Changed here; the directory could not be changed now, and the next sync will. */
    record DirectoryLagging(String error) implements Result {}

    /** Nothing changed: the account was so already, there is none, or the reason is missing. */
    record Refused(String why) implements Result {}
  }

  public Result disable(String username, String reason, String actor, String client) {
    return change(username, true, reason, actor, client);
  }

  public Result enable(String username, String reason, String actor, String client) {
    return change(username, false, reason, actor, client);
  }

  private Result change(
      String username, boolean disable, String reason, String actor, String client) {
    String why = reason.strip();
    if (why.isEmpty()) {
      return new Result.Refused("Give a reason: the audit log keeps it.");
    }
    if (why.length() > MAX_REASON) {
      return new Result.Refused("Keep the reason under " + MAX_REASON + " characters.");
    }
    boolean changed =
        database.inTransaction(
            (disable ? "disabling " : "enabling ") + username,
            c -> {
              if (!memberships.setDisabled(c, username, disable)) {
                return false;
              }
              audit.record(
                  c,
                  new AuditLog.Entry(
                      actor,
                      disable ? "account-disabled" : "account-enabled",
                      username,
                      client,
                      AuditLog.Outcome.DONE,
                      why));
              return true;
            });
    if (!changed) {
      return new Result.Refused(
          memberships.standing(username).isEmpty()
              ? "There is no account " + username + "."
              : "The account "
                  + username
                  + " is "
                  + (disable ? "disabled" : "enabled")
                  + " already.");
    }
    try {
      return new Result.Changed(sync.applyTo(username));
    } catch (DirectoryException e) {
      return new Result.DirectoryLagging(String.valueOf(e.getMessage()));
    }
  }
}
