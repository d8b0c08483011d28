package ie.skynet.accounts.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.MailSender;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.outbox.SmtpMailSender;
import ie.skynet.accounts.outbox.SmtpSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every mail as a mail client receives it, over real SMTP (GreenMail): one message with a plain
 * text and an HTML alternative, the HTML a whole document, the subject the mail's own.
 */
class MailsOverSmtpIT {
  @TempDir Path dir;
  private GreenMail smtp;
  private Mails mails;

  @BeforeEach
  void setUp() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Database database = TestDatabases.migrated(dir);
    Clock clock = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);
    mails =
        new Mails(
            new BaseUrl(URI.create("https://accounts.example/")),
            new Outbox(database, clock, new SimpleMeterRegistry()),
            ZoneId.of("Europe/Dublin"));
  }

  @AfterEach
  void tearDown() {
    smtp.stop();
  }

  @Test
  void everyMailArrivesAsPlainTextAndAWholeHtmlDocument() throws Exception {
    List<OutgoingMail> sent = new ArrayList<>();
    SmtpMailSender sender =
        new SmtpMailSender(
            new SmtpSettings(
                "127.0.0.1",
                smtp.getSmtp().getPort(),
                SmtpSettings.Security.NONE,
                null,
                null,
                "Skynet Accounts <accounts@skynet.ie>",
                Duration.ofSeconds(5),
                1));
    try (MailSender.Session session = sender.open()) {
      for (Mail mail : MailsTest.samples().keySet()) {
        OutgoingMail out = mails.render("aoife@example.com", mail);
        session.send(out);
        sent.add(out);
      }
    }
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(sent.size());
    for (int i = 0; i < received.length; i++) {
      MimeMessage message = received[i];
      OutgoingMail out = sent.get(i);
      assertThat(message.getSubject()).isEqualTo(out.subject());
      assertThat(message.getContentType()).startsWith("multipart/alternative");
      MimeMultipart parts = (MimeMultipart) message.getContent();
      assertThat(parts.getCount()).as(out.subject()).isEqualTo(2);
      BodyPart text = parts.getBodyPart(0);
      BodyPart html = parts.getBodyPart(1);
      // The plainest first: a client shows the last alternative it can.
      assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("utf-8");
      assertThat(html.getContentType()).startsWith("text/html").containsIgnoringCase("utf-8");
      assertThat(text.getContent().toString().replace("\r\n", "\n")).isEqualTo(out.text());
      String document = html.getContent().toString().replace("\r\n", "\n");
      assertThat(document)
          .as(out.subject())
          .startsWith("<!DOCTYPE html>\n<html lang=\"en\">")
          .contains("<meta charset=\"utf-8\">")
          .contains("<meta name=\"viewport\"")
          .contains("<title>");
      assertThat(document.stripTrailing()).endsWith("</body>\n</html>");
    }
  }
}
