package ie.skynet.accounts.outbox;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/** {@link MailSender} over SMTP with Jakarta Mail (Eclipse Angus), every timeout set. */
public final class SmtpMailSender implements MailSender {
  private final SmtpSettings settings;
  // Named in full: MailSender.Session, inherited here, would shadow the import.
  private final jakarta.mail.Session session;

  public SmtpMailSender(SmtpSettings settings) {
    this.settings = settings;
    String protocol = settings.security() == SmtpSettings.Security.SMTPS ? "smtps" : "smtp";
    String millis = Long.toString(settings.timeout().toMillis());
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", protocol);
    p.setProperty("mail." + protocol + ".host", settings.host());
    p.setProperty("mail." + protocol + ".port", Integer.toString(settings.port()));
    // Without these a stalled server holds a worker forever.
    p.setProperty("mail." + protocol + ".connectiontimeout", millis);
    p.setProperty("mail." + protocol + ".timeout", millis);
    p.setProperty("mail." + protocol + ".writetimeout", millis);
    p.setProperty("mail." + protocol + ".auth", Boolean.toString(settings.username() != null));
    if (settings.security() != SmtpSettings.Security.NONE) {
      p.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
    }
    if (settings.security() == SmtpSettings.Security.STARTTLS) {
      p.setProperty("mail.smtp.starttls.enable", "true");
      p.setProperty("mail.smtp.starttls.required", "true");
    }
    this.session = jakarta.mail.Session.getInstance(p);
  }

  /**
   * Connects and logs in as sending would (greeting, EHLO, STARTTLS, AUTH), then says goodbye
   * without sending anything: for checks.
   *
   * @throws MailException saying why the server could not be used
   */
  public void connectWithoutSending() {
    try {
      Transport transport = session.getTransport();
      transport.connect(settings.username(), settings.password());
      try {
        // Jakarta Mail skips AUTH without a word when the server does not offer it (as many do
        // before STARTTLS): then nothing was checked, and every mail would be refused.
        if (settings.username() != null
            && transport instanceof org.eclipse.angus.mail.smtp.SMTPTransport smtp
            && smtp.getExtensionParameter("AUTH") == null) {
          throw new MailException(
              "the mail server offers no AUTH, so smtp.username cannot log in (does it offer AUTH"
                  + " only after STARTTLS? then set smtp.security=starttls)",
              false,
              new MessagingException("no AUTH in the EHLO reply"));
        }
      } finally {
        closeQuietly(transport);
      }
    } catch (MessagingException e) {
      throw classify(e);
    }
  }

  @Override
  public MailSender.Session open() {
    return new SmtpSession();
  }

  /** Keeps one SMTP connection across mails; a broken one is replaced on the next send. */
  private final class SmtpSession implements MailSender.Session {
    /** Open since a successful connect and every send after it; null after any failure. */
    private @Nullable Transport transport;

    private int sentOnThisConnection;

    @Override
    public void send(OutgoingMail mail) {
      MimeMessage message;
      try {
        message = message(mail);
      } catch (MessagingException e) {
        throw classify(e);
      }
      boolean reused = transport != null && sentOnThisConnection > 0;
      try {
        deliver(message);
      } catch (MessagingException e) {
        disconnect();
        MailException failure = classify(e);
        if (!(reused && failure.isTransient())) {
          throw failure;
        }
        // Servers drop idle or long-used connections: a reused one failing says little, so try
        // once on a fresh connection before counting it as a failed attempt.
        try {
          deliver(message);
        } catch (MessagingException again) {
          disconnect();
          throw classify(again);
        }
      }
    }

    /** Sends over the open connection, or a new one. No NOOP first: a failure says as much. */
    private void deliver(MimeMessage message) throws MessagingException {
      Transport connected = transport;
      if (connected == null) {
        connected = session.getTransport();
        connected.connect(settings.username(), settings.password());
        transport = connected;
        sentOnThisConnection = 0;
      }
      connected.sendMessage(message, message.getAllRecipients());
      sentOnThisConnection++;
    }

    private void disconnect() {
      if (transport != null) {
        closeQuietly(transport);
        transport = null;
      }
    }

    @Override
    public void close() {
      // Accepted mail stays accepted: a failure to say goodbye must not make it look unsent.
      disconnect();
    }
  }

  private MimeMessage message(OutgoingMail mail) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(settings.from(), true));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
    message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
    if (mail.html() == null) {
      message.setText(mail.text(), StandardCharsets.UTF_8.name());
    } else {
      MimeBodyPart text = new MimeBodyPart();
      text.setText(mail.text(), StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
      message.setContent(new MimeMultipart("alternative", text, html));
    }
    message.saveChanges();
    return message;
  }

  private static void closeQuietly(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException e) {
      // Nothing to do: the outcome of the mail is already known.
    }
  }

  /**
   * Whether trying again later may help: not after a 5xx reply (refused credentials included) or an
   * address that cannot be a recipient; yes after DNS trouble, a refused or timed-out connection,
   * or a 4xx reply.
   */
  static MailException classify(MessagingException e) {
    int code = replyCode(e);
    if (code >= 500 || causedBy(e, AddressException.class)) {
      return new MailException("refused by the mail server: " + describe(e), false, e);
    }
    if (causedBy(e, UnknownHostException.class)) {
      return new MailException(
          "the mail server's name did not resolve (DNS): " + describe(e), true, e);
    }
    return new MailException("mail server unavailable: " + describe(e), true, e);
  }

  private static int replyCode(MessagingException e) {
    for (Throwable t : linked(e)) {
      if (t instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof SMTPAddressFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof SMTPSenderFailedException s) {
        return s.getReturnCode();
      }
    }
    // Others (a refused AUTH, a 554 greeting) carry the server's reply only in their message.
    for (Throwable t : linked(e)) {
      String message = t.getMessage();
      if (t instanceof MessagingException
          && message != null
          && message.matches("(?s)[2-5][0-9][0-9][ -].*")) {
        return Integer.parseInt(message.substring(0, 3));
      }
    }
    return -1;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    return linked(e).stream().anyMatch(type::isInstance);
  }

  /** The exception and everything it links to: Jakarta Mail chains both causes and "next". */
  private static List<Throwable> linked(Throwable e) {
    List<Throwable> all = new ArrayList<>();
    Deque<Throwable> todo = new ArrayDeque<>(List.of(e));
    while (!todo.isEmpty() && all.size() < 20) {
      Throwable t = todo.pop();
      if (all.stream().anyMatch(seen -> seen == t)) {
        continue;
      }
      all.add(t);
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      if (t instanceof MessagingException m && m.getNextException() != null) {
        todo.add(m.getNextException());
      }
    }
    return all;
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()).strip());
    @Nullable Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      text.append(" (")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage().strip())
          .append(')');
    }
    return text.toString();
  }
}
