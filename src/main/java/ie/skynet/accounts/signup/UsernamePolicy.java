package ie.skynet.accounts.signup;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which usernames a member may choose: the configured pattern (by default a lowercase letter, then
 * lowercase letters, digits or '-', 2 to 31 characters in all) and none of the names that belong to
 * the system or the society. Whether a name is already taken is the directory's answer.
 */
public final class UsernamePolicy {
  public static final String DEFAULT_PATTERN = "^[a-z][a-z0-9-]{1,30}$";

  /** System accounts of a Debian machine, mail role addresses, and the society's own names. */
  static final Set<String> RESERVED =
      Set.of(
          "root",
          "daemon",
          "bin",
          "sys",
          "sync",
          "games",
          "man",
          "lp",
          "mail",
          "news",
          "uucp",
          "proxy",
          "www-data",
          "backup",
          "list",
          "irc",
          "gnats",
          "nobody",
          "sshd",
          "messagebus",
          "_apt",
          "ftp",
          "git",
          "ldap",
          "openldap",
          "mysql",
          "postgres",
          "postfix",
          "dovecot",
          "nginx",
          "apache",
          "www",
          "admin",
          "administrator",
          "sysadmin",
          "operator",
          "postmaster",
          "hostmaster",
          "webmaster",
          "abuse",
          "noc",
          "security",
          "support",
          "info",
          "help",
          "noreply",
          "no-reply",
          "mailer-daemon",
          "staff",
          "committee",
          "skynet",
          "accounts",
          "guest",
          "user",
          "users");

  private final Pattern pattern;

  public UsernamePolicy(String pattern) {
    this.pattern = Pattern.compile(pattern);
  }

  /** The verdict on a requested username. */
  public sealed interface Verdict {
    /** Usable, in the form it will be created in (lowercase). */
    record Accepted(String username) implements Verdict {}

    record Rejected(String reason) implements Verdict {}
  }

  /** The rule in words, for the form's hint and its error. */
  public String rule() {
    return pattern.pattern().equals(DEFAULT_PATTERN)
        ? "Choose 2 to 31 characters: a lowercase letter first, then lowercase letters, digits or"
            + " '-'."
        : "Choose a username matching " + pattern.pattern() + ".";
  }

  public Verdict check(String requested) {
    // Usernames are compared ignoring case everywhere; storing one case keeps that simple.
    String username = requested.strip().toLowerCase(Locale.ROOT);
    if (!pattern.matcher(username).matches()) {
      return new Verdict.Rejected(whatIsWrong(username));
    }
    if (RESERVED.contains(username) || username.startsWith("systemd-")) {
      return new Verdict.Rejected("'" + username + "' is reserved for the system; choose another.");
    }
    return new Verdict.Accepted(username);
  }

  /**
   * What is wrong with a username the pattern refused, in words; not the rule again, which the form
   * shows beside the field already.
   */
  private String whatIsWrong(String username) {
    if (username.isEmpty()) {
      return "Type the username you want.";
    }
    if (!pattern.pattern().equals(DEFAULT_PATTERN)) {
      return "'" + username + "' does not fit the rule above; choose another.";
    }
    String unusable =
        username
            .codePoints()
            .filter(c -> !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'))
            .distinct()
            .mapToObj(
                c -> Character.isWhitespace(c) ? "a space" : "'" + Character.toString(c) + "'")
            .collect(java.util.stream.Collectors.joining(", "));
    if (!unusable.isEmpty()) {
      return "A username cannot hold " + unusable + ".";
    }
    if (!(username.charAt(0) >= 'a' && username.charAt(0) <= 'z')) {
      return "A username starts with a letter, not '" + username.charAt(0) + "'.";
    }
    int length = username.codePointCount(0, username.length());
    return "'"
        + username
        + "' is "
        + length
        + (length == 1 ? " character" : " characters")
        + " long; a username has 2 to 31.";
  }
}
