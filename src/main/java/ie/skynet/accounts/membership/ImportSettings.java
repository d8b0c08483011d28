package ie.skynet.accounts.membership;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * Operator settings for every import.
 *
 * @param dateFormat the export's date pattern (e.g. {@code dd/MM/yyyy}); null means ISO dates
 * @param expiryGuardShare refuse, unless forced, an import that would move more than this share of
 *     current members to a past expiry
 */
public record ImportSettings(
    CsvColumns columns, @Nullable String dateFormat, double expiryGuardShare) {

  /**
   * Checks a date pattern given by an operator.
   *
   * @return what is wrong with it, or null when it can be used
   */
  public static @Nullable String datePatternProblem(String pattern) {
    String problem;
    try {
      // A pattern must write and read back a plain date: no time fields, no missing year.
      DateTimeFormatter formatter = MemberRowValidator.formatter(pattern);
      LocalDate sample = LocalDate.of(2027, 8, 31);
      if (LocalDate.parse(formatter.format(sample), formatter).equals(sample)) {
        return null;
      }
      problem = "it does not read back the dates it writes";
    } catch (IllegalArgumentException | DateTimeException e) {
      problem = e.getMessage();
    }
    return "expected a date pattern with day, month and year only, such as dd/MM/yyyy; found '"
        + pattern
        + "' ("
        + problem
        + ")";
  }
}
