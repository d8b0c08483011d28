package ie.skynet.accounts.outbox;

/** Hands mail to the next mail server. */
public interface MailSender {
  /**
   * A session for sending several mails over one connection, made on the first send: a new
   * connection per mail costs a handshake (and TLS) each, and relays limit how often one may open.
   */
  Session open();

  /** One connection's worth of sending. */
  interface Session extends AutoCloseable {
    /**
     * Returns once the server has accepted the mail.
     *
     * @throws MailException when it did not, saying whether trying again may help
     */
    void send(OutgoingMail mail);

    /** Ends the session; never throws, as every mail's outcome is already known. */
    @Override
    void close();
  }
}
