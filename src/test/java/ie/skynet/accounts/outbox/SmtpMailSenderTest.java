package ie.skynet.accounts.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.MessagingException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

class SmtpMailSenderTest {
  @Test
  void fiveHundredRepliesArePermanentAndFourHundredOnesTransient() {
    assertThat(
            SmtpMailSender.classify(
                    new SMTPSendFailedException(
                        "DATA", 554, "554 rejected", null, null, null, null))
                .isTransient())
        .isFalse();
    assertThat(
            SmtpMailSender.classify(
                    new SMTPSendFailedException(
                        "DATA", 451, "451 try later", null, null, null, null))
                .isTransient())
        .isTrue();
  }

  @Test
  void refusedAuthenticationIsPermanentUnlessTheServerSaysTryLater() {
    assertThat(
            SmtpMailSender.classify(
                    new jakarta.mail.AuthenticationFailedException("535 5.7.8 bad credentials"))
                .isTransient())
        .isFalse();
    assertThat(
            SmtpMailSender.classify(
                    new jakarta.mail.AuthenticationFailedException("454 4.7.0 try again later"))
                .isTransient())
        .isTrue();
    assertThat(
            SmtpMailSender.classify(new MessagingException("554 no SMTP service here"))
                .isTransient())
        .isFalse();
  }

  @Test
  void anAddressThatCannotBeARecipientIsPermanent() {
    assertThat(
            SmtpMailSender.classify(
                    new jakarta.mail.internet.AddressException("Missing final '@domain'"))
                .isTransient())
        .isFalse();
    assertThat(
            SmtpMailSender.classify(
                    new MessagingException(
                        "Couldn't connect", new java.net.ConnectException("refused")))
                .isTransient())
        .isTrue();
  }

  @Test
  void aNameThatDoesNotResolveIsADnsFailureWorthRetrying() {
    // Built by hand: the test must not ask the machine's DNS server anything.
    MailException e =
        SmtpMailSender.classify(
            new MessagingException(
                "Couldn't connect to host", new UnknownHostException("smtp.example.invalid")));
    assertThat(e.isTransient()).isTrue();
    assertThat(e.getMessage()).contains("did not resolve (DNS)", "smtp.example.invalid");
  }

  @Test
  void headerValuesWithLineBreaksAreRefused() {
    assertThatThrownBy(
            () ->
                new OutgoingMail("a@example.com", "t", "Hi\r\nBcc: all@example.com", "body", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new OutgoingMail("a@example.com\nBcc: x@example.com", "t", "Hi", "body", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void backoffDoublesFromThirtySecondsToAnHour() {
    assertThat(OutboxWorker.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(OutboxWorker.backoff(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(OutboxWorker.backoff(7)).isEqualTo(Duration.ofMinutes(32));
    assertThat(OutboxWorker.backoff(8)).isEqualTo(Duration.ofHours(1));
    assertThat(OutboxWorker.backoff(59)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void theRecipientIsOneBareMailboxNeverAGroupOrAName() {
    for (String to :
        new String[] {
          "g:a@example.com,b@example.com;",
          "Aoife <a@example.com>",
          "a@example.com, b@example.com",
          "not-an-address"
        }) {
      assertThatThrownBy(() -> new OutgoingMail(to, "t", "Hi", "body", null))
          .as(to)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new OutgoingMail("a@example.com", "t", "Hi", "body", null).to())
        .isEqualTo("a@example.com");
  }
}
