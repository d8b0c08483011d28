package ie.skynet.accounts.ops;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.directory.PagedSearch;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The directory as the service uses it: TLS, the service's bind, the entries it relies on, the
 * schema and every right the service uses (on a probe account it removes again), and that it may
 * write the uidNumber counter. Leaves nothing changed.
 */
record LdapProbe(DirectorySettings settings, SSLContext trust, NetworkProbe network, Clock clock) {
  private static final Duration SKEW_WARNING = Duration.ofSeconds(30);

  void check(InetAddress address, List<CheckResult> out) {
    String host = settings.host();
    if (settings.security() == DirectorySettings.Security.LDAPS) {
      CheckResult tls = network.tls("ldap", host, address, settings.port(), trust);
      out.add(tls);
      if (tls.status() == CheckResult.Status.FAILED) {
        return;
      }
    }
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    int timeout = (int) settings.timeout().toMillis();
    options.setConnectTimeoutMillis(timeout);
    options.setResponseTimeoutMillis(timeout);
    try (LDAPConnection connection = connect(options)) {
      if (settings.security() == DirectorySettings.Security.STARTTLS
          && !startTls(connection, out)) {
        return;
      }
      if (!bind(connection, out)) {
        return;
      }
      entries(connection, out);
      everyEntry(connection, out);
      new DirectoryRightsProbe(settings, new java.security.SecureRandom()).check(connection, out);
      counter(connection, out);
      clockSkew(connection, out);
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap connect",
              "LDAP connection failed: " + e.getResultCode() + ", " + e.getMessage(),
              "See the tcp and tls lines above."));
    }
  }

  private LDAPConnection connect(LDAPConnectionOptions options) throws LDAPException {
    if (settings.security() == DirectorySettings.Security.LDAPS) {
      return new LDAPConnection(
          LdapDirectory.socketFactoryFor(settings), options, settings.host(), settings.port());
    }
    return new LDAPConnection(options, settings.host(), settings.port());
  }

  private boolean startTls(LDAPConnection connection, List<CheckResult> out) {
    long start = System.nanoTime();
    try {
      ExtendedResult result =
          connection.processExtendedOperation(
              new StartTLSExtendedRequest(LdapDirectory.socketFactoryFor(settings)));
      if (result.getResultCode() != ResultCode.SUCCESS) {
        throw new LDAPException(result);
      }
      javax.net.ssl.SSLSession session = connection.getSSLSession();
      if (session == null) {
        throw new LDAPException(ResultCode.LOCAL_ERROR, "no TLS session after StartTLS");
      }
      out.add(network.certificate("ldap", settings.host(), session, NetworkProbe.millis(start)));
      return true;
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap tls",
              "StartTLS failed: " + NetworkProbe.rootMessage(e),
              "The server must offer StartTLS with a certificate naming "
                  + settings.host()
                  + " from a trusted CA (ldap.ca-file); or use ldap.security=ldaps."));
      return false;
    }
  }

  private boolean bind(LDAPConnection connection, List<CheckResult> out) {
    long start = System.nanoTime();
    try {
      connection.bind(settings.bindDn(), settings.bindPassword());
      out.add(
          CheckResult.ok(
              "ldap bind", "bound as " + settings.bindDn() + " in " + NetworkProbe.millis(start)));
      return true;
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap bind",
              "the service's bind as " + settings.bindDn() + " failed: " + e.getResultCode(),
              e.getResultCode() == ResultCode.INVALID_CREDENTIALS
                  ? "Check ldap.bind-dn and ldap.bind-password (or its -file)."
                  : "The server refused the bind: see its log."));
      return false;
    }
  }

  /**
   * Reads every entry under the users DN as {@code sync-groups} does, page by page: slapd's size
   * limit, unless lifted for the service, stops that read part way once there are more entries.
   */
  private void everyEntry(LDAPConnection connection, List<CheckResult> out) {
    AtomicInteger read = new AtomicInteger();
    try {
      PagedSearch.run(
          connection,
          new SearchRequest(
              settings.usersDn(),
              SearchScope.ONE,
              Filter.createPresenceFilter("objectClass"),
              "1.1"),
          entry -> read.incrementAndGet());
      out.add(
          CheckResult.ok(
              "ldap size limit",
              "read all " + read.get() + " entries under " + settings.usersDn() + ", paged"));
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap size limit",
              "reading every entry under "
                  + settings.usersDn()
                  + " stopped after "
                  + read.get()
                  + ": "
                  + e.getResultCode(),
              e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED
                  ? "sync-groups reads every member entry: give the service's bind no size limit"
                      + " (deploy/ldap/limits.ldif)."
                  : "The server refused the search: see its log."));
    }
  }

  private void entries(LDAPConnection connection, List<CheckResult> out) {
    entry(connection, out, "ldap users", settings.usersDn(), "ldap.users-dn", null);
    entry(
        connection,
        out,
        "ldap members group",
        settings.membersGroupDn(),
        "ldap.members-group-dn",
        "posixGroup");
    settings
        .roleGroups()
        .forEach(
            (name, dn) ->
                entry(
                    connection,
                    out,
                    "ldap " + name + " group",
                    dn,
                    "ldap." + name + "-group-dn",
                    "posixGroup"));
  }

  private void entry(
      LDAPConnection connection,
      List<CheckResult> out,
      String check,
      String dn,
      String key,
      @org.jspecify.annotations.Nullable String objectClass) {
    try {
      SearchResultEntry entry = connection.getEntry(dn, "objectClass");
      if (entry == null) {
        out.add(
            CheckResult.failed(
                check, dn + " does not exist", "Create it, or correct " + key + "."));
      } else if (objectClass != null && !entry.hasObjectClass(objectClass)) {
        out.add(
            CheckResult.failed(
                check,
                dn + " is not a " + objectClass,
                "The members group must be a posixGroup (memberUid)."));
      } else {
        out.add(CheckResult.ok(check, dn + " exists"));
      }
    } catch (LDAPException e) {
      out.add(CheckResult.failed(check, "reading " + dn + " failed: " + e.getResultCode(), ""));
    }
  }

  /**
   * Reads the counter, then writes it back unchanged in the same compare-and-swap form the
   * allocation uses (delete the value read, add it again): it needs the write access the service
   * needs, and fails rather than changes anything if an allocation happens in between.
   */
  private void counter(LDAPConnection connection, List<CheckResult> out) {
    String dn = settings.uidCounterDn();
    try {
      SearchResultEntry entry = connection.getEntry(dn, "uidNumber");
      String value = entry == null ? null : entry.getAttributeValue("uidNumber");
      if (value == null) {
        out.add(
            CheckResult.failed(
                "ldap uid counter",
                dn + " does not exist or has no uidNumber",
                "Create it with the next free uidNumber, or correct ldap.uid-counter-dn."));
        return;
      }
      connection.modify(
          dn,
          new Modification(ModificationType.DELETE, "uidNumber", value),
          new Modification(ModificationType.ADD, "uidNumber", value));
      out.add(CheckResult.ok("ldap uid counter", dn + " readable and writable; next is " + value));
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap uid counter",
              "cannot update " + dn + ": " + e.getResultCode(),
              e.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS
                  ? "Give " + settings.bindDn() + " write access to its uidNumber."
                  : "Try again; if it keeps failing, see the server's log."));
    }
  }

  /** OpenLDAP's monitor backend publishes the server's time; other servers may not. */
  private void clockSkew(LDAPConnection connection, List<CheckResult> out) {
    try {
      SearchResultEntry time =
          connection.getEntry("cn=Current,cn=Time,cn=Monitor", "monitorTimestamp");
      String stamp = time == null ? null : time.getAttributeValue("monitorTimestamp");
      if (stamp == null) {
        out.add(CheckResult.skipped("ldap clock", "the server publishes no time (cn=Monitor)"));
        return;
      }
      Instant theirs = DateTimeFormatter.ofPattern("uuuuMMddHHmmssX").parse(stamp, Instant::from);
      Duration skew = Duration.between(clock.instant(), theirs).abs();
      String measured = "differs from this machine's by " + skew.toSeconds() + " s";
      out.add(
          skew.compareTo(SKEW_WARNING) > 0
              ? CheckResult.warn(
                  "ldap clock", measured, "Run NTP (systemd-timesyncd or chrony) on both machines.")
              : CheckResult.ok("ldap clock", measured));
    } catch (LDAPException | DateTimeParseException e) {
      out.add(CheckResult.skipped("ldap clock", "the server's time cannot be read here"));
    }
  }
}
