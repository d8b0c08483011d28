package ie.skynet.accounts.membership;

import java.util.Locale;

/** How an import ended. */
public enum ImportStatus {
  /** Every row valid and written (or, in a dry run, writable). */
  OK,
  /** The file's content is wrong somewhere; nothing was written. */
  REJECTED,
  /** The import could not run or was refused (unreadable file, database error, expiry guard). */
  FAILED;

  /** The name used in JSON output and in {@code import_runs.status}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
