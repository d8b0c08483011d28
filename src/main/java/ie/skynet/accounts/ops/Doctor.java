package ie.skynet.accounts.ops;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Checks every dependency of the service the way the service uses it, one line each, so that an
 * operator learns which is broken and why: the configuration, each host's name, connection and TLS,
 * the directory, the mail server, the database and its data. Changes nothing and sends no mail.
 *
 * @param configuration where the configuration came from, for the first line
 * @param wolves the Wolves API, checked only when configured
 * @param importMaxAge how old the last import may be before it is worth a warning
 * @param syncPeriod how often serve syncs the groups: a last sync twice as old is worth a warning
 * @param resolver name resolution (tests inject one that fails)
 * @param mailDns the SPF, DMARC and reverse records of the mail domain and relay (tests answer)
 * @param freeSpace where the disk's free space is read (tests make disks full)
 */
public record Doctor(
    String configuration,
    DirectorySettings directory,
    SmtpSettings smtp,
    WolvesApiSettings wolves,
    Database database,
    Duration importMaxAge,
    Duration syncPeriod,
    Resolver resolver,
    MailDns mailDns,
    FreeSpace freeSpace,
    Clock clock) {
  /** Every check's result, in order. */
  public List<CheckResult> examine() {
    List<CheckResult> out = new ArrayList<>();
    out.add(CheckResult.ok("configuration", configuration + ": every key valid"));

    NetworkProbe ldapNetwork = new NetworkProbe(resolver, directory.timeout(), clock);
    NetworkProbe.Reach ldap =
        ldapNetwork.reach("ldap", "ldap.host", directory.host(), directory.port());
    out.addAll(ldap.results());
    if (ldap.address() != null) {
      new LdapProbe(directory, LdapDirectory.trustFor(directory), ldapNetwork, clock)
          .check(ldap.address(), out);
    }

    NetworkProbe smtpNetwork = new NetworkProbe(resolver, smtp.timeout(), clock);
    NetworkProbe.Reach mail = smtpNetwork.reach("smtp", "smtp.host", smtp.host(), smtp.port());
    out.addAll(mail.results());
    if (mail.address() != null) {
      new SmtpProbe(smtp, jvmTrust(), smtpNetwork).check(mail.address(), out);
    }

    new DeliverabilityProbe(smtp, resolver, mailDns).check(out);

    new WolvesApiProbe(wolves, resolver, jvmTrust(), clock).check(out);

    new DatabaseProbe(database, importMaxAge, syncPeriod, freeSpace, clock).check(out);
    return out;
  }

  /** Whether nothing failed: warnings and checks that could not be made do not count. */
  public static boolean passed(List<CheckResult> results) {
    return results.stream().noneMatch(r -> r.status() == CheckResult.Status.FAILED);
  }

  /** Jakarta Mail and the JDK's HTTP client trust the JVM's CAs; so do their checks. */
  private static SSLContext jvmTrust() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has a default TLS context", e);
    }
  }
}
