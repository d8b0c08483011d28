package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.Transactions;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.signup.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account recovery by mail. As with signup, a request only records the ask, the same for every
 * address, and a background pass sends the one mail it should get, so neither the page nor its
 * timing says whether an account uses the address.
 */
public final class RecoveryService {
  private static final Logger log = LoggerFactory.getLogger(RecoveryService.class);
  private static final int BATCH = 50;

  private final Database database;
  private final Outbox outbox;
  private final RequestLimits limits;
  private final String signupLink;
  private final Mails mails = new Mails();
  private final Clock clock;

  /**
   * @param limits the same per-address and per-client limits as signup requests
   * @param baseUrl where members reach the service, for the links in mail
   */
  public RecoveryService(
      Database database, Outbox outbox, RequestLimits limits, URI baseUrl, Clock clock) {
    this.database = database;
    this.outbox = outbox;
    this.limits = limits;
    String base = baseUrl.toString();
    this.signupLink =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/signup";
    this.clock = clock;
  }

  /** Records a request for the usernames of the accounts that use this address. */
  public RequestLimits.Verdict requestUsernames(String email, String client) {
    String address = email.strip();
    RequestLimits.Verdict verdict = limits.tryRequest(address, client);
    if (verdict instanceof RequestLimits.Verdict.TryLater) {
      return verdict;
    }
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO recovery_asks (kind, email, asked_at) VALUES ('username', ?, ?)")) {
      insert.setString(1, address);
      insert.setString(2, clock.instant().toString());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("recording a recovery request failed", e);
    }
    return verdict;
  }

  /**
   * Sends the mail each waiting request should get, forgetting it in the same transaction; one that
   * fails stays waiting without holding up the others. For a scheduler: never throws.
   *
   * @return how many requests were answered
   */
  public int answerWaiting() {
    int answered = 0;
    try {
      Map<Long, String> waiting = new LinkedHashMap<>();
      try (Connection connection = database.connect();
          PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, email FROM recovery_asks ORDER BY id LIMIT " + BATCH);
          ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          waiting.put(rs.getLong(1), rs.getString(2));
        }
      }
      if (!waiting.isEmpty()) {
        answered = answer(waiting);
      }
    } catch (SQLException | RuntimeException e) {
      log.error("answering recovery requests failed; they stay waiting for the next pass", e);
    }
    return answered;
  }

  private int answer(Map<Long, String> waiting) throws SQLException {
    try (Connection connection = database.connect()) {
      return Transactions.inTransaction(
          connection,
          c -> {
            int answered = 0;
            for (Map.Entry<Long, String> ask : waiting.entrySet()) {
              Savepoint before = c.setSavepoint();
              try {
                if (forget(c, ask.getKey())) {
                  if (OutgoingMail.canGoTo(ask.getValue())) {
                    outbox.enqueue(c, usernamesMail(c, ask.getValue()));
                    answered++;
                  } else {
                    log.warn(
                        "recovery request {} is for an address mail cannot go to", ask.getKey());
                  }
                }
                c.releaseSavepoint(before);
              } catch (SQLException | RuntimeException e) {
                c.rollback(before);
                c.releaseSavepoint(before);
                log.error(
                    "answering recovery request {} failed; it stays waiting", ask.getKey(), e);
              }
            }
            return answered;
          });
    }
  }

  private OutgoingMail usernamesMail(Connection c, String address) throws SQLException {
    List<String> usernames = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT username FROM accounts WHERE lower(email) = lower(?) ORDER BY username")) {
      query.setString(1, address);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          usernames.add(rs.getString(1));
        }
      }
    }
    return mails.render(
        address,
        "recover-username",
        "Your Skynet username",
        "account/usernames.jte",
        Map.of("usernames", usernames, "signupLink", signupLink));
  }

  private static boolean forget(Connection connection, long id) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM recovery_asks WHERE id = ?")) {
      delete.setLong(1, id);
      return delete.executeUpdate() == 1;
    }
  }
}
