package ie.skynet.accounts.ops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Reaching a host step by step, so a failure names its layer: the name (DNS), the connection (TCP),
 * then TLS with its certificate.
 */
record NetworkProbe(Resolver resolver, Duration timeout, Clock clock) {
  /** Certificates closer than this to their end get a warning. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(21);

  /**
   * @param address where the connection went, or null if the host could not be reached; the
   *     protocol checks go there
   */
  record Reach(List<CheckResult> results, @Nullable InetAddress address) {}

  /**
   * Resolves the host and opens (then closes) a TCP connection.
   *
   * @param key the configuration key that names the host, for the advice
   */
  Reach reach(String label, String key, String host, int port) {
    List<CheckResult> results = new ArrayList<>();
    long start = System.nanoTime();
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      results.add(
          CheckResult.failed(
              label + " dns",
              "DNS failure: " + host + " does not resolve (" + e.getMessage() + ")",
              "Check "
                  + key
                  + " for a typo; if it is right, this machine's DNS is the problem: try `getent"
                  + " hosts "
                  + host
                  + "` and look at /etc/resolv.conf or `resolvectl status`."));
      return new Reach(results, null);
    }
    results.add(
        CheckResult.ok(
            label + " dns",
            host
                + " is "
                + addresses.stream()
                    .map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", "))
                + " ("
                + millis(start)
                + ")"));
    IOException last = null;
    for (InetAddress address : addresses) {
      long connecting = System.nanoTime();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
        results.add(
            CheckResult.ok(
                label + " tcp",
                address.getHostAddress() + ":" + port + " connected in " + millis(connecting)));
        return new Reach(results, address);
      } catch (IOException e) {
        last = e;
      }
    }
    results.add(
        CheckResult.failed(
            label + " tcp",
            "connection failure: " + host + ":" + port + " " + why(last),
            "The name resolves, so this is the network or the server: is the service running on"
                + " port "
                + port
                + ", and does a firewall let this machine through? Try `nc -vz "
                + host
                + " "
                + port
                + "`."));
    return new Reach(results, null);
  }

  private String why(@Nullable IOException e) {
    if (e instanceof ConnectException) {
      return "refused the connection (nothing listens there)";
    }
    if (e instanceof SocketTimeoutException) {
      return "did not answer within " + timeout.toSeconds() + " s (a firewall dropping packets?)";
    }
    if (e instanceof NoRouteToHostException) {
      return "is unreachable: no route to it";
    }
    return "could not be reached: " + (e == null ? "no address" : e.getMessage());
  }

  /** A TLS handshake from the first byte, as ldaps:// and smtps use. */
  CheckResult tls(String label, String host, InetAddress address, int port, SSLContext trust) {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
      plain.setSoTimeout((int) timeout.toMillis());
      return handshake(label, host, plain, port, trust);
    } catch (IOException e) {
      return CheckResult.failed(
          label + " tls", "could not connect for TLS: " + e.getMessage(), "See the tcp line.");
    }
  }

  /**
   * Layers TLS over a connected socket (after STARTTLS, or from the first byte), checks the host
   * name against the certificate as the service does, and reports the certificate's dates.
   */
  CheckResult handshake(String label, String host, Socket plain, int port, SSLContext trust) {
    long start = System.nanoTime();
    try {
      SSLSocket socket =
          (SSLSocket) trust.getSocketFactory().createSocket(plain, host, port, false);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 name check
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return certificate(label, host, socket.getSession(), millis(start));
    } catch (SSLException e) {
      return CheckResult.failed(
          label + " tls",
          "TLS handshake failed: " + rootMessage(e),
          "The certificate must be valid, name "
              + host
              + ", and chain to a CA this service trusts (the CA file setting, or the JVM's"
              + " trust store). `openssl s_client -connect "
              + host
              + ":"
              + port
              + "` shows what the server sends.");
    } catch (IOException e) {
      return CheckResult.failed(
          label + " tls", "TLS handshake failed: " + rootMessage(e), "See the tcp line.");
    }
  }

  /** The certificate of an established session: whom it names and how long it has left. */
  CheckResult certificate(String label, String host, SSLSession session, String took) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (IOException e) {
      return CheckResult.failed(label + " tls", "no certificate: " + e.getMessage(), "");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return CheckResult.failed(label + " tls", "the server sent no X.509 certificate", "");
    }
    Instant notAfter = leaf.getNotAfter().toInstant();
    Duration left = Duration.between(clock.instant(), notAfter);
    String measured =
        session.getProtocol()
            + " in "
            + took
            + ", certificate for "
            + host
            + " valid until "
            + notAfter
            + " ("
            + left.toDays()
            + " days)";
    if (left.isNegative()) {
      return CheckResult.failed(label + " tls", measured, "The certificate has expired: renew it.");
    }
    if (left.compareTo(EXPIRY_WARNING) < 0) {
      return CheckResult.warn(
          label + " tls", measured, "The certificate expires soon: renew it before an event.");
    }
    return CheckResult.ok(label + " tls", measured);
  }

  static String millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000 + " ms";
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
