package ie.skynet.accounts.membership;

import org.jspecify.annotations.Nullable;

/**
 * Why part of an export was refused, and where.
 *
 * @param line the 1-based line of the file
 * @param column the 1-based CSV column, when the problem is in one field
 * @param field that column's header name, when known
 */
public record Reject(long line, @Nullable Integer column, @Nullable String field, String reason) {

  /** The reject as an operator reads it: {@code line 4, column 6 (Expiry): reason}. */
  public String describe() {
    StringBuilder text = new StringBuilder("line ").append(line);
    if (column != null) {
      text.append(", column ").append(column);
    }
    if (field != null) {
      text.append(" (").append(field).append(')');
    }
    return text.append(": ").append(reason).toString();
  }
}
