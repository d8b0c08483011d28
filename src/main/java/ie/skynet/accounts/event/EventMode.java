package ie.skynet.accounts.event;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import ie.skynet.accounts.links.BearerTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a signup event is on: an admin switches it on for a stated time and it ends by itself
 * then, or when an admin switches it off. Kept in the database, so a restart keeps it and every
 * instance serving the database sees it. Each switch and each projector link is audited.
 */
public final class EventMode {
  /** The longest an event may be switched on for: a long evening, never a forgotten week. */
  public static final Duration LONGEST = Duration.ofHours(12);

  private final Database database;
  private final AuditLog audit;
  private final SecureRandom random;
  private final Clock clock;

  public EventMode(Database database, AuditLog audit, SecureRandom random, Clock clock) {
    this.database = database;
    this.audit = audit;
    this.random = random;
    this.clock = clock;
  }

  /**
   * An event that is on.
   *
   * @param startedBy the admin who switched it on
   * @param projectorLink whether a projector link has been made for it
   */
  public record Event(Instant started, String startedBy, Instant ends, boolean projectorLink) {}

  private record Row(Event event, @Nullable String projectorSha256) {}

  /** The event on now; empty when none is, including one whose time has run out. */
  public Optional<Event> current() {
    return database.withConnection("reading event mode", this::current).map(Row::event);
  }

  /** Asked on every signup request: whether a hall's worth of requests may come from one place. */
  public boolean isOn() {
    return current().isPresent();
  }

  private Optional<Row> current(Connection c) throws SQLException {
    Instant now = clock.instant();
    return Sql.first(
            c,
            "SELECT started_at, started_by, ends_at, projector_sha256 FROM event_mode WHERE id = 1",
            rs ->
                new Row(
                    new Event(
                        Instant.parse(rs.getString(1)),
                        rs.getString(2),
                        Instant.parse(rs.getString(3)),
                        rs.getString(4) != null),
                    rs.getString(4)))
        .filter(row -> now.isBefore(row.event().ends()));
  }

  /**
   * Switches event mode on from now for {@code length} (at most {@link #LONGEST}), replacing any
   * event on now and its projector link.
   */
  public Event start(Duration length, String admin, String client) {
    if (length.isNegative() || length.isZero() || length.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          "an event lasts more than nothing and at most " + LONGEST.toHours() + " h: " + length);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Event event = new Event(now, admin, now.plus(length), false);
    database.runInTransaction(
        "switching event mode on",
        c -> {
          Sql.update(c, "DELETE FROM event_mode");
          Sql.update(
              c,
              "INSERT INTO event_mode (id, started_at, started_by, ends_at) VALUES (1, ?, ?, ?)",
              event.started().toString(),
              admin,
              event.ends().toString());
          audit.record(
              c,
              new AuditLog.Entry(
                  admin,
                  "event-mode-on",
                  AuditLog.ANONYMOUS,
                  client,
                  AuditLog.Outcome.DONE,
                  "for " + hours(length) + ", until " + event.ends()));
        });
    return event;
  }

  /**
   * Switches event mode off now, and with it the projector link.
   *
   * @return false when it was not on
   */
  public boolean stop(String admin, String client) {
    return database.inTransaction(
        "switching event mode off",
        c -> {
          Optional<Row> on = current(c);
          Sql.update(c, "DELETE FROM event_mode");
          audit.record(
              c,
              new AuditLog.Entry(
                  admin,
                  "event-mode-off",
                  AuditLog.ANONYMOUS,
                  client,
                  on.isPresent() ? AuditLog.Outcome.DONE : AuditLog.Outcome.REFUSED,
                  on.map(row -> "it was on until " + row.event().ends()).orElse("it was not on")));
          return on.isPresent();
        });
  }

  /**
   * A new projector link's token for the event on now, replacing the one before (which stops
   * working); empty when no event is on. Only its SHA-256 is kept: the token is shown once.
   */
  public Optional<String> newProjectorToken(String admin, String client) {
    String token = BearerTokens.issue(random);
    return database.inTransaction(
        "making a projector link",
        c -> {
          Optional<Row> on = current(c);
          if (on.isEmpty()) {
            return Optional.<String>empty();
          }
          Sql.update(
              c,
              "UPDATE event_mode SET projector_sha256 = ? WHERE id = 1",
              BearerTokens.sha256(token));
          audit.record(
              c,
              new AuditLog.Entry(
                  admin,
                  "projector-link-made",
                  AuditLog.ANONYMOUS,
                  client,
                  AuditLog.Outcome.DONE,
                  "works until " + on.get().event().ends()));
          return Optional.of(token);
        });
  }

  /** Whether this is the token of the projector link of the event on now. */
  public boolean projectorLinkWorks(String token) {
    if (!BearerTokens.wellFormed(token)) {
      return false;
    }
    byte[] given = BearerTokens.sha256(token).getBytes(StandardCharsets.UTF_8);
    return database
        .withConnection("reading event mode", this::current)
        .map(Row::projectorSha256)
        .filter(stored -> MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8), given))
        .isPresent();
  }

  private static String hours(Duration length) {
    long minutes = length.toMinutes();
    return minutes % 60 == 0
        ? minutes / 60 + (minutes == 60 ? " hour" : " hours")
        : minutes + " minutes";
  }
}
