package ie.skynet.accounts.app;

import ie.skynet.accounts.db.DatabaseSettings;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.lifecycle.RetentionSettings;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.LifecycleSettings;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import ie.skynet.accounts.signup.SignupSettings;
import ie.skynet.accounts.web.WebSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The whole validated configuration, one record per part of the system.
 *
 * @param outboxPoll how often the web service looks for mail to send
 * @param importMaxAge how old the last import may be before {@code doctor} warns
 * @param preflightUsersDn where {@code preflight} makes its rehearsal account; empty for the users
 *     DN
 * @param timeZone the society's, in which mails write times
 * @param serveProblems what is missing only for running the web service (such as the LDAP
 *     password), so that commands which never touch it still run
 */
public record AppConfig(
    String logLevel,
    DatabaseSettings database,
    ImportSettings imports,
    WolvesApiSettings wolves,
    SmtpSettings smtp,
    WebSettings web,
    DirectorySettings directory,
    SignupSettings signup,
    Limits limits,
    LifecycleSettings lifecycle,
    RetentionSettings retention,
    Duration outboxPoll,
    Duration importMaxAge,
    String preflightUsersDn,
    ZoneId timeZone,
    List<String> serveProblems) {

  /**
   * @param clientBurst signup requests one client address may make per {@code clientWindow}
   * @param eventClientBurst the same while an admin has event mode on
   * @param loginClientFailures failed logins one client address may make in 15 minutes
   */
  public record Limits(
      int clientBurst, Duration clientWindow, int eventClientBurst, int loginClientFailures) {}
}
