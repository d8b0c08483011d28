package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import ie.skynet.accounts.directory.DirectorySettings.Security;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=dns:localhost",
        "-validity",
        "2",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        new String(STORE_PASSWORD));
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        new String(STORE_PASSWORD),
        "-file",
        caFile.toString());
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
        new LdapDirectory(settings("localhost", Security.LDAPS, caFile))) {
      assertThat(directory.usernameTaken("nobody")).isFalse();
    }
  }

  @Test
  void ldapsRefusesACertificateNoTrustedCaSigned() throws Exception {
    startLdaps();
    assertThatThrownBy(() -> new LdapDirectory(settings("localhost", Security.LDAPS, null)))
        .isInstanceOf(DirectoryException.class);
  }

  @Test
  void ldapsRefusesACertificateForAnotherHostName() throws Exception {
    startLdaps(); // the certificate names localhost only
    assertThatThrownBy(() -> new LdapDirectory(settings("127.0.0.1", Security.LDAPS, caFile)))
        .isInstanceOf(DirectoryException.class);
  }

  @Test
  void startTlsUpgradesEveryPooledConnection() throws Exception {
    server =
        TestDirectories.start(
            InMemoryListenerConfig.createLDAPConfig(
                "ldap", InetAddress.getLoopbackAddress(), 0, serverSsl().createSSLSocketFactory()));
    try (LdapDirectory directory =
        new LdapDirectory(settings("localhost", Security.STARTTLS, caFile))) {
      directory.createAccount(
          new NewAccount("aoife", "Aoife", "Murphy", "a@example.com", "W1"),
          "correct horse battery staple");
      assertThat(directory.authenticate("aoife", "correct horse battery staple")).isTrue();
    }
    assertThatThrownBy(() -> new LdapDirectory(settings("127.0.0.1", Security.STARTTLS, caFile)))
        .isInstanceOf(DirectoryException.class);
  }
}
