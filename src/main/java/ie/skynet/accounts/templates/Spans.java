package ie.skynet.accounts.templates;

/**
 * A span of time as a person reads it: "1 second", "40 seconds", "9 minutes", "3 hours". A
 * network's share comes back over minutes, and "540 seconds" makes a reader do sums on a phone.
 */
public final class Spans {
  private Spans() {}

  /**
   * Whole seconds under a minute and a half; minutes (rounded up: a wait is never shorter than it
   * says) under an hour and a half; whole hours under two days; then days.
   */
  public static String words(long seconds) {
    if (seconds < 90) {
      return count(seconds, "second");
    }
    if (seconds < 90 * 60) {
      return count((seconds + 59) / 60, "minute");
    }
    if (seconds < 48 * 3600) {
      return count(seconds / 3600, "hour");
    }
    return count(seconds / 86_400, "day");
  }

  private static String count(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }
}
