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
}
