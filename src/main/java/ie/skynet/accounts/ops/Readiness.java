package ie.skynet.accounts.ops;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.outbox.SmtpMailSender;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the service can do its work now: the database answers with the current schema and the
 * directory answers the service's connections; whether the mail server takes a session is reported
 * beside them. The result is kept for a while, so probes every second cost the dependencies
 * nothing.
 */
public final class Readiness {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);

  private final Map<String, Supplier<String>> checks = new LinkedHashMap<>();
  private final Duration keepFor;
  private final Clock clock;
  private @Nullable Report last;

  /**
   * Reported, but not part of being ready: mail waits in the outbox while the mail server is down,
   * so signups go on, and taking the service out of a load balancer would not help.
   */
  private static final String INFORMATIONAL = "smtp";

  /** What each dependency said; "ok" or why not. */
  public record Report(Instant at, Map<String, String> checks) {
    public boolean ready() {
      return checks.entrySet().stream()
          .allMatch(e -> e.getKey().equals(INFORMATIONAL) || e.getValue().equals("ok"));
    }
  }

  public Readiness(
      Database database, Directory directory, SmtpMailSender smtp, Duration keepFor, Clock clock) {
    this.keepFor = keepFor;
    this.clock = clock;
    checks.put("database", () -> database(database));
    checks.put(
        "ldap",
        () -> {
          directory.ping();
          return "ok";
        });
    checks.put(
        "smtp",
        () -> {
          smtp.connectWithoutSending();
          return "ok";
        });
  }

  /** Answers {@code GET /health/ready}: 200 when ready, 503 when not, JSON either way. */
  public void addTo(io.javalin.config.RoutesConfig routes) {
    routes.get(
        "/health/ready",
        ctx -> {
          Report report = report();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", report.ready() ? "ready" : "not ready");
          body.put("checked", report.at().toString());
          body.put("checks", report.checks());
          ctx.status(report.ready() ? 200 : 503)
              .contentType("application/json; charset=utf-8")
              .result(JSON.writeValueAsString(body));
        });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The latest report, made anew if the kept one is older than {@code keepFor}. */
  public synchronized Report report() {
    Instant now = clock.instant();
    if (last != null && Duration.between(last.at(), now).compareTo(keepFor) < 0) {
      return last;
    }
    Map<String, String> results = new LinkedHashMap<>();
    checks.forEach(
        (name, check) -> {
          String result;
          try {
            result = check.get();
          } catch (RuntimeException e) {
            // The reason goes to the log; the probe's answer stays short and says no more.
            log.warn("readiness: {} is not ready: {}", name, NetworkProbe.rootMessage(e));
            result = "failing: see the service's log, or run accounts doctor";
          }
          results.put(name, result);
        });
    last = new Report(now, java.util.Collections.unmodifiableMap(results));
    return last;
  }

  private static String database(Database database) {
    if (!database.isCurrent()) {
      return "failing: the schema is not current (accounts migrate)";
    }
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1")) {
      rs.next();
      return "ok";
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
