package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import ie.skynet.accounts.directory.DirectorySettings.Security;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates are checked: the directory's certificate must chain to the configured CA file (or
 * the JVM's CAs) and name the host connected to. The certificate is made with the JDK's keytool.
 */
class LdapDirectoryTlsIT {
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  static Path keyStore;
  static Path caFile;

  InMemoryDirectoryServer server;

  @BeforeAll
  static void makeCertificate() throws Exception {
    keyStore = dir.resolve("server.p12");
    caFile = dir.resolve("ca.pem");
    keyPair(keyStore, "server", "CN=localhost", "-ext", "san=dns:localhost");
    keytool(keyStore, "-exportcert", "-rfc", "-alias", "server", "-file", caFile.toString());
  }

  /** A new EC key pair with a self-signed certificate, valid two days. */
  private static void keyPair(Path store, String alias, String dname, String... extra)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-dname",
                dname,
                "-validity",
                "2"));
    args.addAll(List.of(extra));
    keytool(store, args.toArray(new String[0]));
  }

  /** Runs the JDK's keytool on a PKCS12 store (the JDK's default type) with the test password. */
  private static void keytool(Path store, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of("-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD)));
    run(command.toArray(new String[0]));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static SSLUtil serverSsl() throws Exception {
    return new SSLUtil(
        new KeyStoreKeyManager(keyStore.toFile(), STORE_PASSWORD, "PKCS12", "server"),
        new TrustAllTrustManager());
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.shutDown(true);
    }
  }

  private void startLdaps() throws Exception {
    server =
        TestDirectories.start(
            InMemoryListenerConfig.createLDAPSConfig(
                "ldaps",
                InetAddress.getLoopbackAddress(),
                0,
                serverSsl().createSSLServerSocketFactory(),
                null));
  }

  private DirectorySettings settings(String host, Security security, Path ca) {
    return TestDirectories.settings(
        host, server.getListenPort(), security, ca, TestDirectories.MEMBERS);
  }

  @Test
  void ldapsWithTheConfiguredCaWorks() throws Exception {
    startLdaps();
    try (LdapDirectory directory =
        new LdapDirectory(
            settings("localhost", Security.LDAPS, caFile), new SimpleMeterRegistry())) {
      assertThat(directory.usernameTaken("nobody")).isFalse();
    }
  }

  /** The connection failed in the TLS handshake, not for some other reason. */
  private static void refusedByTls(Throwable e, String why) {
    assertThat(e).isInstanceOf(DirectoryException.class);
    java.util.List<String> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.add(t.getClass().getName() + ": " + t.getMessage());
    }
    assertThat(String.join("\n", chain))
        .contains("javax.net.ssl.SSLHandshakeException")
        .contains(why);
  }

  @Test
  void ldapsRefusesACertificateNoTrustedCaSigned() throws Exception {
    startLdaps();
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                new LdapDirectory(
                    settings("localhost", Security.LDAPS, null), new SimpleMeterRegistry()));
    refusedByTls(e, "PKIX path building failed");
  }

  @Test
  void ldapsRefusesACertificateForAnotherHostName() throws Exception {
    startLdaps(); // the certificate names localhost only
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                new LdapDirectory(
                    settings("127.0.0.1", Security.LDAPS, caFile), new SimpleMeterRegistry()));
    refusedByTls(e, "No subject alternative names matching IP address 127.0.0.1");
  }

  @Test
  void ldapsRefusesACertificateSignedByAServerThatIsNotACa() throws Exception {
    // society CA -> mail.skynet.ie (a server, not a CA) -> "localhost", forged with the mail key
    Path societyCa = dir.resolve("society-ca.p12");
    Path mail = dir.resolve("mail.p12");
    Path forged = dir.resolve("forged.p12");
    Path caPem = dir.resolve("society-ca.pem");
    Path mailCsr = dir.resolve("mail.csr");
    Path mailPem = dir.resolve("mail.pem");
    Path forgedCsr = dir.resolve("forged.csr");
    Path forgedPem = dir.resolve("forged.pem");
    keyPair(societyCa, "ca", "CN=Society CA", "-ext", "bc:c");
    keytool(societyCa, "-exportcert", "-rfc", "-alias", "ca", "-file", caPem.toString());
    keyPair(mail, "mail", "CN=mail.skynet.ie");
    keytool(mail, "-certreq", "-alias", "mail", "-file", mailCsr.toString());
    keytool(
        societyCa,
        "-gencert",
        "-alias",
        "ca",
        "-infile",
        mailCsr.toString(),
        "-outfile",
        mailPem.toString(),
        "-rfc",
        "-validity",
        "2");
    keytool(mail, "-importcert", "-noprompt", "-alias", "society-ca", "-file", caPem.toString());
    keytool(mail, "-importcert", "-alias", "mail", "-file", mailPem.toString());
    keyPair(forged, "server", "CN=localhost", "-ext", "san=dns:localhost");
    keytool(forged, "-certreq", "-alias", "server", "-file", forgedCsr.toString());
    keytool(
        mail,
        "-gencert",
        "-alias",
        "mail",
        "-infile",
        forgedCsr.toString(),
        "-outfile",
        forgedPem.toString(),
        "-rfc",
        "-ext",
        "san=dns:localhost",
        "-validity",
        "2");
    keytool(forged, "-importcert", "-noprompt", "-alias", "society-ca", "-file", caPem.toString());
    keytool(forged, "-importcert", "-noprompt", "-alias", "mail-cert", "-file", mailPem.toString());
    keytool(forged, "-importcert", "-alias", "server", "-file", forgedPem.toString());

    SSLUtil forgedServer =
        new SSLUtil(
            new KeyStoreKeyManager(forged.toFile(), STORE_PASSWORD, "PKCS12", "server"),
            new TrustAllTrustManager());
    server =
        TestDirectories.start(
            InMemoryListenerConfig.createLDAPSConfig(
                "ldaps",
                InetAddress.getLoopbackAddress(),
                0,
                forgedServer.createSSLServerSocketFactory(),
                null));
    Throwable e =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                new LdapDirectory(
                    settings("localhost", Security.LDAPS, caPem), new SimpleMeterRegistry()));
    refusedByTls(e, "basic constraints check failed");
  }

  @Test
  void startTlsUpgradesEveryPooledConnection() throws Exception {
    server =
        TestDirectories.start(
            InMemoryListenerConfig.createLDAPConfig(
                "ldap", InetAddress.getLoopbackAddress(), 0, serverSsl().createSSLSocketFactory()));
    DirectorySettings settings = settings("localhost", Security.STARTTLS, caFile);
    try (LdapDirectory directory = new LdapDirectory(settings, new SimpleMeterRegistry())) {
      directory.createAccount(
          new NewAccount("aoife", "Aoife", "Murphy", "a@example.com", "W1"),
          "correct horse battery staple");
      assertThat(directory.authenticate("aoife", "correct horse battery staple")).isTrue();

      // Hold as many connections as the pool keeps, so that it opens each one it may: the first,
      // upgraded by hand, and those the pool makes itself. Each must be TLS, and work.
      LDAPConnectionPool pool = directory.pool();
      List<LDAPConnection> held = new ArrayList<>();
      try {
        for (int i = 0; i < settings.poolSize(); i++) {
          held.add(pool.getConnection());
        }
        assertThat(held)
            .extracting(LDAPConnection::getConnectionID)
            .doesNotHaveDuplicates()
            .hasSize(settings.poolSize());
        for (LDAPConnection connection : held) {
          SSLSession tls = connection.getSSLSession();
          assertThat(tls).as("connection %d upgraded", connection.getConnectionID()).isNotNull();
          assertThat(java.util.Objects.requireNonNull(tls).getProtocol()).startsWith("TLS");
          assertThat(connection.getEntry(TestDirectories.MEMBERS)).isNotNull();
        }
      } finally {
        held.forEach(pool::releaseConnection);
      }
    }
    assertThatThrownBy(
            () ->
                new LdapDirectory(
                    settings("127.0.0.1", Security.STARTTLS, caFile), new SimpleMeterRegistry()))
        .isInstanceOf(DirectoryException.class);
  }
}
