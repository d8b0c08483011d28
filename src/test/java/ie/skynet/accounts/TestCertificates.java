package ie.skynet.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS tests, made with the JDK's own keytool. */
public final class TestCertificates {
  public static final String PASSWORD = "changeit";

  private TestCertificates() {}

  /**
   * A PKCS12 store with an EC key pair under {@code alias} and a self-signed certificate for {@code
   * host}, valid {@code days}; the certificate is also written as PEM to {@code pem}, to trust.
   */
  public static void make(Path store, Path pem, String alias, String host, int days)
      throws Exception {
    make(store, pem, alias, host, days, "+0d");
  }

  /**
   * As above, valid from {@code startDate} in keytool's form ({@code -30d}: thirty days ago), so a
   * certificate can be made already expired.
   */
  public static void make(
      Path store, Path pem, String alias, String host, int days, String startDate)
      throws Exception {
    keytool(
        store,
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-dname",
        "CN=" + host,
        "-ext",
        "san=dns:" + host,
        "-startdate",
        startDate,
        "-validity",
        Integer.toString(days));
    keytool(store, "-exportcert", "-rfc", "-alias", alias, "-file", pem.toString());
  }

  private static void keytool(Path store, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-keystore", store.toString(), "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
