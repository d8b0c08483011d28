package ie.skynet.accounts.membership;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of an export cannot be read as CSV text: invalid UTF-8, a record too long to be a
 * member row, or broken quoting. Carries the position an operator needs to find the problem.
 */
final class CsvInputException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long line;
  private final @Nullable Integer field;

  CsvInputException(long line, @Nullable Integer field, String reason) {
    super(reason);
    this.line = line;
    this.field = field;
  }

  String reason() {
    return String.valueOf(getMessage());
  }

  long line() {
    return line;
  }

  /** The 1-based CSV column the problem is in, when it is inside a field. */
  @Nullable Integer field() {
    return field;
  }
}
