package ie.skynet.accounts.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.sdk.OperationType;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doctor's checks failing on faults the usual servers do not produce on demand: a full disk (the
 * free space measured through an injected function), a directory whose clock is off or that refuses
 * the service's writes (an in-memory server configured so), and mail servers that greet badly or
 * offer no STARTTLS (a few lines of fake SMTP on loopback).
 */
class DoctorFaultsIT {
  private static final Resolver LOCAL = host -> List.of(InetAddress.getLoopbackAddress());

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private @Nullable InMemoryDirectoryServer ldap;
  private @Nullable ServerSocket smtp;

  @AfterEach
  void tearDown() throws Exception {
    if (ldap != null) {
      ldap.shutDown(true);
    }
    if (smtp != null) {
      java.util.Objects.requireNonNull(smtp).close();
    }
  }

  private Database database() {
    return TestDatabases.migrated(dir.resolve("data"));
  }

  private Map<String, CheckResult> examine(
      DirectorySettings directory, SmtpSettings mail, FreeSpace freeSpace) {
    return byName(
        new Doctor(
                "t",
                directory,
                mail,
                WolvesApiSettings.NOT_CONFIGURED,
                database(),
                Duration.ofHours(48),
                Duration.ofHours(8),
                LOCAL,
                new ScriptedMailDns(),
                freeSpace,
                clock)
            .examine());
  }

  private static final FreeSpace ROOMY = d -> 100L << 30;

  private static Map<String, CheckResult> byName(List<CheckResult> results) {
    return results.stream().collect(Collectors.toMap(CheckResult::check, r -> r, (a, b) -> a));
  }

  /**
   * An SMTP "server" that greets every connection so, then answers each line the client sends with
   * the next answer (lines joined by CRLF for a multi-line reply), then hangs up.
   */
  private SmtpSettings fakeSmtp(SmtpSettings.Security security, String greeting, String... answers)
      throws Exception {
    ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    smtp = server;
    Thread.ofPlatform()
        .daemon(true)
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                  BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(
                              client.getInputStream(), StandardCharsets.US_ASCII));
                  OutputStream out = client.getOutputStream();
                  out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                  for (String answer : answers) {
                    if (in.readLine() == null) {
                      break;
                    }
                    out.write((answer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                  }
                } catch (java.io.IOException e) {
                  // closed by the test, or the client hung up: take the next one
                }
              }
            });
    return new SmtpSettings(
        "localhost",
        server.getLocalPort(),
        security,
        null,
        null,
        "accounts@skynet.ie",
        Duration.ofSeconds(3),
        1);
  }

  private DirectorySettings realLdap() throws Exception {
    InMemoryDirectoryServer server = TestDirectories.start();
    ldap = server;
    return TestDirectories.settings(server);
  }

  @Test
  void aFullDiskFailsAndANearlyFullOneWarns() throws Exception {
    DirectorySettings directory = realLdap();
    SmtpSettings mail =
        fakeSmtp(SmtpSettings.Security.NONE, "220 mail.example", "250 mail.example", "221 bye");
    CheckResult full = examine(directory, mail, d -> 50L << 20).get("disk");
    assertThat(full.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(full.measured()).startsWith("50 MiB free");
    CheckResult low = examine(directory, mail, d -> 500L << 20).get("disk");
    assertThat(low.status()).isEqualTo(CheckResult.Status.WARN);
  }

  /**
   * A bare directory holding what doctor reads, and a monitor entry with the server's time; it
   * refuses every modification.
   */
  private DirectorySettings bareLdap(String serverTime) throws Exception {
    InMemoryDirectoryServerConfig config =
        new InMemoryDirectoryServerConfig(TestDirectories.BASE, "cn=Monitor");
    config.setSchema(null); // monitorTimestamp is not in the standard schema
    config.addAdditionalBindCredentials(TestDirectories.ADMIN_DN, TestDirectories.ADMIN_PASSWORD);
    EnumSet<OperationType> allowed = EnumSet.allOf(OperationType.class);
    allowed.remove(OperationType.MODIFY);
    config.setAllowedOperationTypes(allowed);
    config.setListenerConfigs(
        com.unboundid.ldap.listener.InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getLoopbackAddress(), 0, null));
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add(
        "dn: " + TestDirectories.BASE, "objectClass: top", "objectClass: domain", "dc: skynet");
    server.add(
        "dn: ou=users," + TestDirectories.BASE, "objectClass: organizationalUnit", "ou: users");
    server.add(
        "dn: ou=groups," + TestDirectories.BASE, "objectClass: organizationalUnit", "ou: groups");
    server.add(
        "dn: " + TestDirectories.MEMBERS,
        "objectClass: posixGroup",
        "cn: skynet-users",
        "gidNumber: 1000");
    server.add(
        "dn: " + TestDirectories.COUNTER,
        "objectClass: device",
        "cn: uid-counter",
        "uidNumber: 10000");
    server.add("dn: cn=Monitor", "objectClass: monitorServer", "cn: Monitor");
    server.add("dn: cn=Time,cn=Monitor", "objectClass: monitorContainer", "cn: Time");
    server.add(
        "dn: cn=Current,cn=Time,cn=Monitor",
        "objectClass: monitoredObject",
        "cn: Current",
        "monitorTimestamp: " + serverTime);
    server.startListening();
    ldap = server;
    return TestDirectories.settings(server);
  }

  @Test
  void aDirectoryWithAnotherClockWarnsAndOneRefusingWritesFailsTheCounter() throws Exception {
    // The server says 12:05; this machine says 12:00.
    DirectorySettings directory = bareLdap("20261126120500Z");
    SmtpSettings mail =
        fakeSmtp(SmtpSettings.Security.NONE, "220 mail.example", "250 mail.example", "221 bye");
    Map<String, CheckResult> results = examine(directory, mail, ROOMY);
    assertThat(results.get("ldap bind").status()).isEqualTo(CheckResult.Status.OK);
    assertThat(results.get("ldap users").status()).isEqualTo(CheckResult.Status.OK);
    CheckResult skew = results.get("ldap clock");
    assertThat(skew.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(skew.measured()).isEqualTo("differs from this machine's by 300 s");
    CheckResult counter = results.get("ldap uid counter");
    assertThat(counter.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(counter.measured()).contains("cannot update " + TestDirectories.COUNTER);

    clock.advance(Duration.ofSeconds(310));
    CheckResult close = examine(directory, mail, ROOMY).get("ldap clock");
    assertThat(close.status()).isEqualTo(CheckResult.Status.OK);
  }

  @Test
  void aMailServerThatGreetsBadlyOrOffersNoStartTlsIsNamed() throws Exception {
    DirectorySettings directory = realLdap();
    SmtpSettings refusing = fakeSmtp(SmtpSettings.Security.STARTTLS, "554 no service for you");
    CheckResult greeting = examine(directory, refusing, ROOMY).get("smtp tls");
    assertThat(greeting.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(greeting.measured()).contains("554 no service");
    java.util.Objects.requireNonNull(smtp).close();

    SmtpSettings plainOnly =
        fakeSmtp(
            SmtpSettings.Security.STARTTLS, "220 mail.example", "250-mail.example\r\n250 SIZE 100");
    CheckResult noTls = examine(directory, plainOnly, ROOMY).get("smtp tls");
    assertThat(noTls.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(noTls.measured()).isEqualTo("the server does not offer STARTTLS");
  }
}
