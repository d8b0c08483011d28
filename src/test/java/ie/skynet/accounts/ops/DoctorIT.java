package ie.skynet.accounts.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import ie.skynet.accounts.RefusingPort;
import ie.skynet.accounts.TestCertificates;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each check of {@code accounts doctor}, passing and failing, against real local servers: an
 * in-memory LDAP server (plain and LDAPS with certificates made by keytool), GreenMail, SQLite
 * files. Name resolution is injected: no test asks the machine's DNS server anything.
 */
class DoctorIT {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(NOW);
  private final List<InMemoryDirectoryServer> directories = new ArrayList<>();
  private @Nullable GreenMail smtp;
  private Database database;

  /** Knows only localhost; every other name fails as an unknown host would. */
  private static final Resolver LOCAL_ONLY =
      host -> {
        if (host.equals("localhost") || host.equals("127.0.0.1")) {
          return List.of(InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host + ": Name or service not known");
      };

  @BeforeEach
  void setUp() throws Exception {
    database = TestDatabases.migrated(dir.resolve("data"));
    TestDatabases.execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('W1', '241', 'a@example.com', '2027-08-31', 'A', 'B')",
        "INSERT INTO import_runs (source, file_name, started_at, finished_at, rows_read, inserted,"
            + " status) VALUES ('csv', 'members.csv', '2026-11-26T06:00:00Z',"
            + " '2026-11-26T06:00:01Z', 1, 1, 'ok')",
        "INSERT INTO job_runs (job, last_started_at, last_finished_at, last_outcome,"
            + " last_detail) VALUES ('sync-groups', '2026-11-26T06:00:02Z',"
            + " '2026-11-26T06:00:03Z', 'done', '0 joined, 0 left, 0 shells and 0 statuses changed')");
  }

  @AfterEach
  void tearDown() {
    directories.forEach(d -> d.shutDown(true));
    if (smtp != null) {
      smtp.stop();
    }
  }

  private DirectorySettings plainLdap() throws Exception {
    InMemoryDirectoryServer server = TestDirectories.start();
    directories.add(server);
    return TestDirectories.settings(server);
  }

  private SmtpSettings greenMail(String protocol) {
    GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", protocol));
    server.start();
    smtp = server;
    int port =
        protocol.equals(ServerSetup.PROTOCOL_SMTPS)
            ? server.getSmtps().getPort()
            : server.getSmtp().getPort();
    return new SmtpSettings(
        protocol.equals(ServerSetup.PROTOCOL_SMTPS) ? "localhost" : "127.0.0.1",
        port,
        protocol.equals(ServerSetup.PROTOCOL_SMTPS)
            ? SmtpSettings.Security.SMTPS
            : SmtpSettings.Security.NONE,
        null,
        null,
        "accounts@skynet.ie",
        Duration.ofSeconds(5),
        1);
  }

  /**
   * A disk far from full: whether every check passes must not depend on the free space of the
   * machine running the test (DoctorFaultsIT makes disks full, and {@link
   * #theDiskLineMeasuresTheRealFileSystem} reads the real one).
   */
  private static final FreeSpace ROOMY = directory -> 100L << 30;

  private List<CheckResult> examine(DirectorySettings ldap, SmtpSettings mail, Resolver resolver) {
    return examine(ldap, mail, resolver, ROOMY);
  }

  private List<CheckResult> examine(
      DirectorySettings ldap, SmtpSettings mail, Resolver resolver, FreeSpace freeSpace) {
    return new Doctor(
            "test",
            ldap,
            mail,
            WolvesApiSettings.NOT_CONFIGURED,
            database,
            Duration.ofHours(48),
            Duration.ofHours(8),
            resolver,
            new ScriptedMailDns(),
            freeSpace,
            clock)
        .examine();
  }

  private static Map<String, CheckResult> byName(List<CheckResult> results) {
    return results.stream()
        .collect(
            Collectors.toMap(
                CheckResult::check, r -> r, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  private static CheckResult.Status status(List<CheckResult> results, String check) {
    CheckResult result = byName(results).get(check);
    assertThat(result).as("a %s line in %s", check, results).isNotNull();
    return result.status();
  }

  @Test
  void everythingWorkingPassesWithOneLinePerCheck() throws Exception {
    List<CheckResult> results =
        examine(plainLdap(), greenMail(ServerSetup.PROTOCOL_SMTP), LOCAL_ONLY);
    assertThat(byName(results).keySet())
        .containsExactly(
            "configuration",
            "ldap dns",
            "ldap tcp",
            "ldap bind",
            "ldap users",
            "ldap members group",
            "ldap admins group",
            "ldap committee group",
            "ldap size limit",
            "ldap schema",
            "ldap discord",
            "ldap add account",
            "ldap set password",
            "ldap ssh keys",
            "ldap members group write",
            "ldap admins group write",
            "ldap committee group write",
            "ldap remove account",
            "ldap uid counter",
            "ldap clock",
            "smtp dns",
            "smtp tcp",
            "smtp session",
            "mail deliverability",
            "wolves api",
            "disk",
            "database",
            "members",
            "last import",
            "last sync",
            "last housekeeping",
            "outbox");
    assertThat(results)
        .allSatisfy(
            r ->
                assertThat(r.status())
                    .as(r.toString())
                    .isIn(CheckResult.Status.OK, CheckResult.Status.SKIPPED));
    assertThat(Doctor.passed(results)).isTrue();
    assertThat(byName(results).get("ldap uid counter").measured()).contains("next is 10000");
    // The rights were proved on a probe account, and the probe is gone again.
    InMemoryDirectoryServer server = directories.get(0);
    assertThat(server.countEntriesBelow("ou=users," + TestDirectories.BASE)).isEqualTo(1);
    assertThat(server.getEntry(TestDirectories.MEMBERS).hasAttribute("memberUid")).isFalse();
    assertThat(byName(results).get("ldap schema").measured())
        .contains("ldapPublicKey allows a key");
    assertThat(byName(results).get("members").measured()).isEqualTo("1 members, 1 of them current");
    // Nothing was sent.
    assertThat(java.util.Objects.requireNonNull(smtp).getReceivedMessages()).isEmpty();
  }

  @Test
  void theDiskLineMeasuresTheRealFileSystem() throws Exception {
    CheckResult disk =
        byName(
                examine(
                    plainLdap(),
                    greenMail(ServerSetup.PROTOCOL_SMTP),
                    LOCAL_ONLY,
                    FreeSpace.fileStore()))
            .get("disk");
    // Its status is the build machine's business; that it measured the database's folder is not.
    assertThat(disk.status()).isNotEqualTo(CheckResult.Status.SKIPPED);
    assertThat(disk.measured())
        .matches(
            "\\d+ MiB free in " + java.util.regex.Pattern.quote(dir.resolve("data").toString()));
  }

  @Test
  void aNameThatDoesNotResolveIsADnsFailureNotAConnectionFailure() throws Exception {
    DirectorySettings real = plainLdap();
    DirectorySettings unresolvable =
        TestDirectories.settings(
            "ldap.example.invalid",
            real.port(),
            DirectorySettings.Security.LDAPS,
            null,
            TestDirectories.MEMBERS);
    List<CheckResult> results =
        examine(unresolvable, greenMail(ServerSetup.PROTOCOL_SMTP), LOCAL_ONLY);
    CheckResult dns = byName(results).get("ldap dns");
    assertThat(dns.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(dns.measured()).startsWith("DNS failure: ldap.example.invalid does not resolve");
    assertThat(dns.advice()).contains("ldap.host");
    assertThat(byName(results)).doesNotContainKeys("ldap tcp", "ldap bind");
    assertThat(status(results, "smtp session")).isEqualTo(CheckResult.Status.OK);
    assertThat(Doctor.passed(results)).isFalse();
  }

  @Test
  void aClosedPortIsAConnectionFailure() throws Exception {
    List<CheckResult> results;
    try (RefusingPort closed = new RefusingPort()) {
      DirectorySettings nothingThere =
          TestDirectories.settings(
              "127.0.0.1",
              closed.port(),
              DirectorySettings.Security.NONE,
              null,
              TestDirectories.MEMBERS);
      results = examine(nothingThere, greenMail(ServerSetup.PROTOCOL_SMTP), LOCAL_ONLY);
    }
    assertThat(status(results, "ldap dns")).isEqualTo(CheckResult.Status.OK);
    CheckResult tcp = byName(results).get("ldap tcp");
    assertThat(tcp.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(tcp.measured()).contains("connection failure").contains("refused");
  }

  @Test
  void theDirectoryChecksNameWhatIsWrong() throws Exception {
    DirectorySettings good = plainLdap();
    InMemoryDirectoryServer server = directories.get(0);
    DirectorySettings wrongPassword =
        new DirectorySettings(
            good.host(),
            good.port(),
            good.security(),
            null,
            good.bindDn(),
            "not it",
            good.usersDn(),
            good.membersGroupDn(),
            good.adminsGroupDn(),
            good.committeeGroupDn(),
            good.uidCounterDn(),
            good.wolvesIdAttribute(),
            good.discordAttribute(),
            good.gidNumber(),
            good.homeBase(),
            good.loginShell(),
            good.poolSize(),
            good.timeout());
    SmtpSettings mail = greenMail(ServerSetup.PROTOCOL_SMTP);
    CheckResult bind = byName(examine(wrongPassword, mail, LOCAL_ONLY)).get("ldap bind");
    assertThat(bind.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(bind.advice()).contains("ldap.bind-password");

    server.delete(TestDirectories.MEMBERS);
    server.delete(TestDirectories.COUNTER);
    List<CheckResult> results = examine(good, mail, LOCAL_ONLY);
    assertThat(status(results, "ldap bind")).isEqualTo(CheckResult.Status.OK);
    assertThat(byName(results).get("ldap members group").measured()).contains("does not exist");
    assertThat(status(results, "ldap members group")).isEqualTo(CheckResult.Status.FAILED);
    assertThat(status(results, "ldap uid counter")).isEqualTo(CheckResult.Status.FAILED);
  }

  /** An LDAPS server whose certificate is valid {@code days} from the test clock's now. */
  private DirectorySettings ldaps(String certifiedHost, String connectTo, int days)
      throws Exception {
    return ldaps(certifiedHost, connectTo, days, clock.instant());
  }

  private DirectorySettings ldaps(String certifiedHost, String connectTo, int days, Instant from)
      throws Exception {
    String name = certifiedHost + days + "-" + from.getEpochSecond();
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    // Dated by the doctor's clock, which judges them: never by the machine's.
    TestCertificates.make(store, pem, "server", certifiedHost, from, days);
    SSLUtil ssl =
        new SSLUtil(
            new KeyStoreKeyManager(
                store.toFile(), TestCertificates.PASSWORD.toCharArray(), "PKCS12", "server"),
            new TrustAllTrustManager());
    InMemoryDirectoryServer server =
        TestDirectories.start(
            InMemoryListenerConfig.createLDAPSConfig(
                "ldaps",
                InetAddress.getLoopbackAddress(),
                0,
                ssl.createSSLServerSocketFactory(),
                null));
    directories.add(server);
    return TestDirectories.settings(
        connectTo,
        server.getListenPort(),
        DirectorySettings.Security.LDAPS,
        pem,
        TestDirectories.MEMBERS);
  }

  @Test
  void certificatesAreCheckedForTrustNameAndTimeLeft() throws Exception {
    SmtpSettings mail = greenMail(ServerSetup.PROTOCOL_SMTP);

    List<CheckResult> good = examine(ldaps("localhost", "localhost", 400), mail, LOCAL_ONLY);
    CheckResult tls = byName(good).get("ldap tls");
    assertThat(tls.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(tls.measured())
        .contains("certificate for localhost valid until 2027-12-31T12:00:00Z (400 days)");
    assertThat(status(good, "ldap bind")).isEqualTo(CheckResult.Status.OK);

    CheckResult soon =
        byName(examine(ldaps("localhost", "localhost", 5), mail, LOCAL_ONLY)).get("ldap tls");
    assertThat(soon.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(soon.measured()).endsWith("(5 days)");
    assertThat(soon.advice()).contains("expires soon");

    List<CheckResult> otherName =
        examine(ldaps("ldap.skynet.ie", "localhost", 400), mail, LOCAL_ONLY);
    assertThat(status(otherName, "ldap tls")).isEqualTo(CheckResult.Status.FAILED);
    assertThat(byName(otherName).get("ldap tls").measured()).contains("TLS handshake failed");
    assertThat(byName(otherName)).doesNotContainKey("ldap bind");

    List<CheckResult> expired =
        examine(
            ldaps("localhost", "localhost", 10, clock.instant().minus(Duration.ofDays(30))),
            mail,
            LOCAL_ONLY);
    // The JDK does not date-check a certificate that is itself the trusted CA (as here): the
    // handshake passes, and the dates are what tell.
    assertThat(status(expired, "ldap tls")).isEqualTo(CheckResult.Status.FAILED);
    assertThat(byName(expired).get("ldap tls").advice()).contains("has expired");
  }

  @Test
  void refusedMailCredentialsFailTheSessionAndSaySo() throws Exception {
    SmtpSettings open = greenMail(ServerSetup.PROTOCOL_SMTP);
    GreenMail server = java.util.Objects.requireNonNull(smtp);
    server.setUser("accounts@skynet.ie", "accounts", "right-password");
    server.getManagers().getUserManager().setAuthRequired(true);
    SmtpSettings wrong =
        new SmtpSettings(
            open.host(),
            open.port(),
            open.security(),
            "accounts",
            "wrong-password",
            open.from(),
            open.timeout(),
            open.connections());
    CheckResult session = byName(examine(plainLdap(), wrong, LOCAL_ONLY)).get("smtp session");
    assertThat(session.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(session.advice()).contains("smtp.username");
    SmtpSettings right =
        new SmtpSettings(
            open.host(),
            open.port(),
            open.security(),
            "accounts",
            "right-password",
            open.from(),
            open.timeout(),
            open.connections());
    CheckResult ok = byName(examine(plainLdap(), right, LOCAL_ONLY)).get("smtp session");
    assertThat(ok.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(ok.measured()).contains("AUTH as accounts");
    assertThat(server.getReceivedMessages()).isEmpty();
  }

  @Test
  void aMailServerWhoseCertificateIsNotTrustedFailsAtTls() throws Exception {
    List<CheckResult> results =
        examine(plainLdap(), greenMail(ServerSetup.PROTOCOL_SMTPS), LOCAL_ONLY);
    CheckResult tls = byName(results).get("smtp tls");
    assertThat(tls.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(tls.advice()).contains("trust");
    assertThat(byName(results)).doesNotContainKey("smtp session");
  }

  @Test
  void aSyncThatWasRefusedFailedOrStoppedIsNamed() throws Exception {
    DirectorySettings ldap = plainLdap();
    SmtpSettings mail = greenMail(ServerSetup.PROTOCOL_SMTP);
    CheckResult done = byName(examine(ldap, mail, LOCAL_ONLY)).get("last sync");
    assertThat(done.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(done.measured()).startsWith("done, 0 joined").contains("5 h ago");

    clock.advance(Duration.ofHours(12)); // 17 h after it ended: more than twice the 8 h period
    CheckResult stale = byName(examine(ldap, mail, LOCAL_ONLY)).get("last sync");
    assertThat(stale.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(stale.advice()).contains("every 8 h").contains("is serve running?");

    TestDatabases.execute(
        database,
        "UPDATE job_runs SET last_outcome = 'refused', last_finished_at = '"
            + clock.instant()
            + "', last_detail = 'it would take 40 of the 300 in the members group out'");
    CheckResult refused = byName(examine(ldap, mail, LOCAL_ONLY)).get("last sync");
    assertThat(refused.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(refused.measured()).contains("refused").contains("40 of the 300");
    assertThat(refused.advice()).contains("--force");

    TestDatabases.execute(database, "DELETE FROM job_runs");
    CheckResult none = byName(examine(ldap, mail, LOCAL_ONLY)).get("last sync");
    assertThat(none.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(none.measured()).isEqualTo("no sync of the groups yet");
  }

  @Test
  void aFailedOrStaleHousekeepingIsNamed() throws Exception {
    DirectorySettings ldap = plainLdap();
    SmtpSettings mail = greenMail(ServerSetup.PROTOCOL_SMTP);
    CheckResult none = byName(examine(ldap, mail, LOCAL_ONLY)).get("last housekeeping");
    assertThat(none.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(none.measured()).startsWith("no pass yet");

    TestDatabases.execute(
        database,
        "INSERT INTO job_runs (job, last_started_at, last_finished_at, last_outcome,"
            + " last_detail) VALUES ('housekeeping', '"
            + clock.instant()
            + "', '"
            + clock.instant()
            + "', 'failed', 'database is locked')");
    CheckResult failed = byName(examine(ldap, mail, LOCAL_ONLY)).get("last housekeeping");
    assertThat(failed.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(failed.measured()).contains("database is locked");
    assertThat(failed.advice()).contains("accounts housekeeping");

    TestDatabases.execute(
        database, "UPDATE job_runs SET last_outcome = 'done' WHERE job = 'housekeeping'");
    assertThat(status(examine(ldap, mail, LOCAL_ONLY), "last housekeeping"))
        .isEqualTo(CheckResult.Status.OK);
    clock.advance(Duration.ofHours(49)); // more than twice the daily period
    CheckResult stale = byName(examine(ldap, mail, LOCAL_ONLY)).get("last housekeeping");
    assertThat(stale.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(stale.advice()).contains("is serve running?");
  }

  @Test
  void theDataChecksWarnOrFailOnWhatAnOperatorMustFix() throws Exception {
    DirectorySettings ldap = plainLdap();
    SmtpSettings mail = greenMail(ServerSetup.PROTOCOL_SMTP);
    clock.advance(Duration.ofHours(49));
    assertThat(status(examine(ldap, mail, LOCAL_ONLY), "last import"))
        .isEqualTo(CheckResult.Status.WARN);

    TestDatabases.execute(
        database,
        "INSERT INTO import_runs (source, file_name, started_at, status, message) VALUES"
            + " ('csv', 'bad.csv', '"
            + clock.instant()
            + "', 'rejected', '3 rows rejected')",
        "INSERT INTO mail_outbox (recipient, template, subject, status, next_attempt_at,"
            + " created_at) VALUES ('a@example.com', 't', 's', 'failed', '"
            + NOW
            + "', '"
            + NOW
            + "')");
    List<CheckResult> results = examine(ldap, mail, LOCAL_ONLY);
    CheckResult lastImport = byName(results).get("last import");
    assertThat(lastImport.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(lastImport.measured()).contains("bad.csv").contains("3 rows rejected");
    assertThat(status(results, "outbox")).isEqualTo(CheckResult.Status.WARN);
    assertThat(byName(results).get("outbox").measured()).isEqualTo("0 waiting, 1 failed");

    Files.delete(dir.resolve("data").resolve("accounts.db"));
    CheckResult missing = byName(examine(ldap, mail, LOCAL_ONLY)).get("database");
    assertThat(missing.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(missing.advice()).contains("accounts migrate");
  }
}
