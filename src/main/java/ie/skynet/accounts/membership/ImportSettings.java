package ie.skynet.accounts.membership;

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
    try {
      MemberRowValidator.formatter(pattern);
      return null;
    } catch (IllegalArgumentException e) {
      return "expected a date pattern such as dd/MM/yyyy, found '"
          + pattern
          + "' ("
          + e.getMessage()
          + ")";
    }
  }
}
