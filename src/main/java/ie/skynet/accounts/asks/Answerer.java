package ie.skynet.accounts.asks;

import ie.skynet.accounts.outbox.OutgoingMail;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/** A feature that answers some kinds of request, by mail. */
public interface Answerer {
  /** The kinds of request this answers. */
  Set<Ask.Kind> kinds();

  /**
   * The mail that answers the request, in the transaction that forgets it, so the request is
   * answered once or stays waiting.
   *
   * @return the mail to queue; empty when there is no one to write to
   */
  List<OutgoingMail> answer(Connection connection, Ask ask) throws SQLException;

  /** Told, once they are committed, of the mail its answers queued in a pass (for counters). */
  default void queued(List<OutgoingMail> mails) {}
}
