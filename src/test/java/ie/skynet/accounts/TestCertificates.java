package ie.skynet.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made with the JDK's own keytool. Their dates come from
 * the test: keytool left to itself dates a certificate by the machine's clock, which a test on a
 * {@link TestClock} must never mix with its own.
 */
public final class TestCertificates {
  public static final String PASSWORD = "changeit";

  /** keytool's absolute {@code -startdate}, read in the time zone keytool runs in (UTC, below). */
  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private TestCertificates() {}

  /**
   * A PKCS12 store with an EC key pair under {@code alias} and a self-signed certificate for {@code
   * host}, valid {@code days} from {@code validFrom} (the test clock's now, or a time before it for
   * a certificate already expired); the certificate is also written as PEM to {@code pem}, to
   * trust.
   */
  public static void make(
      Path store, Path pem, String alias, String host, Instant validFrom, int days)
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
        START.format(validFrom),
        "-validity",
        Integer.toString(days));
    keytool(store, "-exportcert", "-rfc", "-alias", alias, "-file", pem.toString());
  }

  private static void keytool(Path store, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add("-J-Duser.timezone=UTC");
    command.addAll(List.of(args));
    command.addAll(List.of("-keystore", store.toString(), "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
