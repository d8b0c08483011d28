package ie.skynet.accounts.ops;

/**
 * One line of {@code accounts doctor}.
 *
 * @param check what was checked, such as {@code ldap dns}
 * @param measured what was found, with the measured value (a time, a count, a date)
 * @param advice what to do about it; empty when there is nothing to do
 */
public record CheckResult(String check, Status status, String measured, String advice) {

  public enum Status {
    OK("✔"),
    /** Works, but needs attention soon. */
    WARN("!"),
    FAILED("✘"),
    /** Could not be measured here; neither good nor bad. */
    SKIPPED("-");

    private final String mark;

    Status(String mark) {
      this.mark = mark;
    }

    public String mark() {
      return mark;
    }
  }

  static CheckResult ok(String check, String measured) {
    return new CheckResult(check, Status.OK, measured, "");
  }

  static CheckResult warn(String check, String measured, String advice) {
    return new CheckResult(check, Status.WARN, measured, advice);
  }

  static CheckResult failed(String check, String measured, String advice) {
    return new CheckResult(check, Status.FAILED, measured, advice);
  }

  static CheckResult skipped(String check, String why) {
    return new CheckResult(check, Status.SKIPPED, why, "");
  }
}
