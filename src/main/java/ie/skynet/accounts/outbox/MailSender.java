package ie.skynet.accounts.outbox;

/** Hands a mail to the next mail server. */
public interface MailSender {
  /**
   * Returns once the server has accepted the mail.
   *
   * @throws MailException when it did not, saying whether trying again may help
   */
  void send(OutgoingMail mail);
}
