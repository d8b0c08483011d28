package ie.skynet.accounts.ops;

import ie.skynet.accounts.outbox.MailException;
import ie.skynet.accounts.outbox.SmtpMailSender;
import ie.skynet.accounts.outbox.SmtpSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/**
 * The mail server as the outbox uses it: the certificate (for STARTTLS, seen by speaking just
 * enough SMTP to start TLS), then a real session through Jakarta Mail, the outbox's own client:
 * greeting, EHLO, STARTTLS, AUTH. No mail is sent.
 */
record SmtpProbe(SmtpSettings settings, SSLContext trust, NetworkProbe network) {

  void check(InetAddress address, List<CheckResult> out) {
    CheckResult tls =
        switch (settings.security()) {
          case SMTPS -> network.tls("smtp", settings.host(), address, settings.port(), trust);
          case STARTTLS -> startTls(address);
          case NONE -> null;
        };
    if (tls != null) {
      out.add(tls);
      if (tls.status() == CheckResult.Status.FAILED) {
        return;
      }
    }
    long start = System.nanoTime();
    try {
      new SmtpMailSender(settings).connectWithoutSending();
      out.add(
          CheckResult.ok(
              "smtp session",
              "greeting, EHLO"
                  + (settings.security() == SmtpSettings.Security.STARTTLS ? ", STARTTLS" : "")
                  + (settings.username() == null ? "" : ", AUTH as " + settings.username())
                  + " in "
                  + NetworkProbe.millis(start)
                  + "; nothing sent"));
    } catch (MailException e) {
      String message = String.valueOf(e.getMessage());
      boolean auth = message.toLowerCase(Locale.ROOT).contains("auth");
      out.add(
          CheckResult.failed(
              "smtp session",
              "the mail server refused the session: " + message,
              auth
                  ? "Check smtp.username and smtp.password (or its -file)."
                  : "See the lines above; the server's log says more."));
    }
  }

  /** Greeting, EHLO, STARTTLS by hand, then the handshake, to see the certificate. */
  private CheckResult startTls(InetAddress address) {
    int timeout = (int) settings.timeout().toMillis();
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, settings.port()), timeout);
      plain.setSoTimeout(timeout);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream outStream = plain.getOutputStream();
      String greeting = reply(in);
      if (!greeting.startsWith("220")) {
        return CheckResult.failed("smtp tls", "the server greeted with " + greeting, "");
      }
      outStream.write("EHLO accounts-doctor\r\n".getBytes(StandardCharsets.US_ASCII));
      outStream.flush();
      String ehlo = reply(in);
      if (!ehlo.toUpperCase(Locale.ROOT).contains("STARTTLS")) {
        return CheckResult.failed(
            "smtp tls",
            "the server does not offer STARTTLS",
            "Enable STARTTLS on the server, or set smtp.security to what it offers.");
      }
      outStream.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
      outStream.flush();
      String ready = reply(in);
      if (!ready.startsWith("220")) {
        return CheckResult.failed("smtp tls", "STARTTLS was answered " + ready, "");
      }
      return network.handshake("smtp", settings.host(), plain, settings.port(), trust);
    } catch (IOException e) {
      return CheckResult.failed(
          "smtp tls", "STARTTLS failed: " + NetworkProbe.rootMessage(e), "See the tcp line.");
    }
  }

  /** One SMTP reply, its continuation lines ("250-...") included; the last line returned. */
  private static String reply(BufferedReader in) throws IOException {
    StringBuilder all = new StringBuilder();
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("the server closed the connection");
      }
      all.append(line).append('\n');
    } while (line.length() > 3 && line.charAt(3) == '-');
    return all.toString().strip();
  }
}
