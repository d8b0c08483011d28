package ie.skynet.accounts.ops;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.outbox.OutboxWorker;
import ie.skynet.accounts.signup.Completion;
import ie.skynet.accounts.signup.SignupService;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A rehearsal of a real signup against the configured services, for before an event: doctor first;
 * then a synthetic membership for the operator's address, the real verification mail sent through
 * the outbox and the mail server, an account made from its link under the rehearsal OU, a bind with
 * its password; then everything it made is removed, whether or not a step failed.
 */
public final class Preflight {
  /** Rehearsal memberships and accounts carry this prefix, so nobody mistakes them. */
  static final String PREFIX = "preflight";

  private static final Duration MAIL_DEADLINE = Duration.ofSeconds(60);

  private final Supplier<List<CheckResult>> doctor;
  private final Database database;
  private final Supplier<Rehearsal> opener;
  private final OutboxWorker outboxWorker;
  private final SecureRandom random;
  private final Clock clock;

  /**
   * The services a rehearsal runs on, opened only once doctor has passed: connecting to the
   * directory is itself a step that can fail.
   */
  public interface Rehearsal extends AutoCloseable {
    /** Signup as the service does it, but making accounts in {@link #directory()}. */
    SignupService signup();

    /** The directory, with accounts under the rehearsal OU. */
    Directory directory();

    @Override
    void close();
  }

  public Preflight(
      Supplier<List<CheckResult>> doctor,
      Database database,
      Supplier<Rehearsal> opener,
      OutboxWorker outboxWorker,
      SecureRandom random,
      Clock clock) {
    this.doctor = doctor;
    this.database = database;
    this.opener = opener;
    this.outboxWorker = outboxWorker;
    this.random = random;
    this.clock = clock;
  }

  /** A step that failed, with what it found. */
  private static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message, null, false, false);
    }
  }

  @FunctionalInterface
  private interface Step {
    /**
     * @return what the step did, for its line
     */
    String run() throws StepFailed, Exception;
  }

  /**
   * Runs the rehearsal, saying each step and its duration on {@code out}.
   *
   * @param email where the verification mail goes: the operator's own address
   * @param link where to read the pasted link from; null not to wait for the operator
   * @return whether every step passed
   */
  public boolean run(String email, @Nullable BufferedReader link, PrintWriter out) {
    String suffix = HexFormat.of().formatHex(randomBytes(4));
    String idWolves = PREFIX.toUpperCase(java.util.Locale.ROOT) + "-" + suffix;
    String username = "pf" + suffix;
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
    // A whole second earlier, in ISO form: stored times compare as text, and "12:00:00.5Z" sorts
    // before "12:00:00Z".
    String started =
        clock
            .instant()
            .minusSeconds(1)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .toString();
    String[] token = new String[1];
    Rehearsal[] opened = new Rehearsal[1];
    List<String> made = java.util.Collections.synchronizedList(new ArrayList<>());
    // Ctrl-C while waiting for the mail must not leave a live link behind: the hook cleans up.
    java.util.concurrent.atomic.AtomicBoolean cleaned =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable cleanUp =
        () -> {
          if (cleaned.compareAndSet(false, true)) {
            cleanUp(out, opened[0], idWolves, username, email, started, made);
          }
        };
    Thread hook = new Thread(cleanUp, "preflight-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean passed = false;
    try {
      step(
          out,
          1,
          "doctor",
          () -> {
            List<CheckResult> results = doctor.get();
            for (CheckResult result : results) {
              if (result.status() != CheckResult.Status.OK) {
                out.println(
                    "    "
                        + result.status().mark()
                        + " "
                        + result.check()
                        + ": "
                        + result.measured());
              }
            }
            if (!Doctor.passed(results)) {
              throw new StepFailed("a check failed: run `accounts doctor` for what to do");
            }
            opened[0] = opener.get();
            String swept = sweep(opened[0].directory());
            return results.size() + " checks, none failed" + swept;
          });
      step(
          out,
          2,
          "rehearsal membership",
          () -> {
            insertMembership(idWolves, email);
            made.add("membership");
            return idWolves + " for " + email + ", until tomorrow (not in any import)";
          });
      step(
          out,
          3,
          "verification mail",
          () -> {
            token[0] = opened(opened).signup().rehearse(idWolves);
            return sendAndWait(email, started);
          });
      step(
          out,
          4,
          "the link",
          () -> {
            if (link == null) {
              return "not waiting for it to be opened (--no-wait, or no terminal): using the link"
                  + " the mail carries";
            }
            out.println("    Open the mail sent to " + email + " and paste its link here:");
            out.flush();
            String pasted = link.readLine();
            if (pasted == null || !pasted.strip().endsWith("/signup/" + token[0])) {
              throw new StepFailed(
                  "that is not the link in the mail (did it arrive whole? is web.base-url right?)");
            }
            return "the mail arrived with its link intact";
          });
      step(
          out,
          5,
          "account",
          () -> {
            Completion completion = opened(opened).signup().complete(token[0], username, password);
            if (!(completion instanceof Completion.Created)) {
              throw new StepFailed("signup refused: " + completion);
            }
            made.add("account");
            return username + " made under the rehearsal OU, in the members group";
          });
      step(
          out,
          6,
          "bind",
          () -> {
            if (!opened(opened).directory().authenticate(username, password)) {
              throw new StepFailed(username + " cannot bind with the password it was given");
            }
            return username + " binds with its password";
          });
      passed = true;
    } catch (StepFailed e) {
      // already said by step()
    } finally {
      cleanUp.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running, or ran: nothing left to undo
      }
      if (opened[0] != null) {
        opened[0].close();
      }
    }
    out.println(passed ? "preflight passed: a real signup works end to end" : "preflight FAILED");
    out.flush();
    return passed;
  }

  private void step(PrintWriter out, int number, String name, Step step) throws StepFailed {
    long start = System.nanoTime();
    try {
      String did = step.run();
      out.println(
          "✔ " + number + " " + name + ": " + did + " (" + NetworkProbe.millis(start) + ")");
      out.flush();
    } catch (StepFailed e) {
      fail(out, number, name, String.valueOf(e.getMessage()), start);
    } catch (Exception e) {
      fail(out, number, name, NetworkProbe.rootMessage(e), start);
    }
  }

  private static void fail(PrintWriter out, int number, String name, String why, long start)
      throws StepFailed {
    out.println(
        "✘ " + number + " " + name + " failed: " + why + " (" + NetworkProbe.millis(start) + ")");
    out.flush();
    throw new StepFailed(why);
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  private void insertMembership(String idWolves, String email) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first,"
                    + " name_second) VALUES (?, NULL, ?, ?, 'Preflight', 'Rehearsal')")) {
      insert.setString(1, idWolves);
      insert.setString(2, email);
      insert.setString(3, LocalDate.now(clock).plusDays(1).toString());
      insert.executeUpdate();
    }
  }

  /** Sends queued mail until the rehearsal's is accepted by the mail server, or fails. */
  private String sendAndWait(String email, String since) throws Exception {
    long deadline = System.nanoTime() + MAIL_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      outboxWorker.run(); // `serve`, if it runs, may send it first: the outbox lets only one
      String[] state = mailState(email, since);
      if (state != null && state[0].equals("sent")) {
        return "accepted by the mail server for " + email;
      }
      if (state != null && (state[0].equals("failed") || state[1] != null)) {
        throw new StepFailed(
            "the mail server did not take it: " + (state[1] == null ? state[0] : state[1]));
      }
      Thread.sleep(200);
    }
    throw new StepFailed("the mail was not sent within " + MAIL_DEADLINE.toSeconds() + " s");
  }

  private String @Nullable [] mailState(String email, String since) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT status, last_error FROM mail_outbox WHERE recipient = ? AND template ="
                    + " 'signup-verify' AND created_at >= ? ORDER BY id DESC LIMIT 1")) {
      query.setString(1, email);
      query.setString(2, since);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
      }
    }
  }

  private static Rehearsal opened(Rehearsal[] opened) {
    return java.util.Objects.requireNonNull(opened[0], "opened in step 1");
  }

  /**
   * Removes what an earlier rehearsal left when it was killed before it could clean up: its
   * membership, link and account rows, and its account's entry. Only one preflight runs at a time.
   */
  private String sweep(Directory directory) throws SQLException {
    List<String> usernames = new ArrayList<>();
    int memberships;
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT username FROM accounts WHERE id_wolves LIKE 'PREFLIGHT-%'");
          ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          usernames.add(rs.getString(1));
        }
      }
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM accounts WHERE id_wolves LIKE 'PREFLIGHT-%'")) {
        delete.executeUpdate();
      }
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM signup_requests WHERE id_wolves LIKE 'PREFLIGHT-%'")) {
        delete.executeUpdate();
      }
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM accounts_wolves WHERE id_wolves LIKE 'PREFLIGHT-%'")) {
        memberships = delete.executeUpdate();
      }
      connection.commit();
    }
    for (String username : usernames) {
      directory.deleteAccount(username);
    }
    return memberships == 0
        ? ""
        : "; removed "
            + memberships
            + " membership(s) and "
            + usernames.size()
            + " account(s) an interrupted rehearsal left";
  }

  /** Removes what the rehearsal made, each part on its own, and says so. */
  private void cleanUp(
      PrintWriter out,
      @Nullable Rehearsal opened,
      String idWolves,
      String username,
      String email,
      String since,
      List<String> made) {
    List<String> left = new ArrayList<>();
    if (made.contains("account") && opened != null) {
      try {
        opened.directory().deleteAccount(username);
      } catch (RuntimeException e) {
        left.add("the LDAP entry " + username + " (" + NetworkProbe.rootMessage(e) + ")");
      }
    }
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      exec(connection, "DELETE FROM accounts WHERE username = ?", username);
      exec(connection, "DELETE FROM signup_requests WHERE id_wolves = ?", idWolves);
      try (PreparedStatement mails =
          connection.prepareStatement(
              "DELETE FROM mail_outbox WHERE recipient = ? AND created_at >= ? AND template IN"
                  + " ('signup-verify', 'signup-welcome')")) {
        mails.setString(1, email);
        mails.setString(2, since);
        mails.executeUpdate();
      }
      exec(connection, "DELETE FROM accounts_wolves WHERE id_wolves = ?", idWolves);
      connection.commit();
    } catch (SQLException | DatabaseException e) {
      left.add("rows of " + idWolves + " in the database (" + NetworkProbe.rootMessage(e) + ")");
    }
    if (left.isEmpty()) {
      out.println("✔ cleanup: the rehearsal's membership, mail, link, account and entry are gone");
    } else {
      out.println("✘ cleanup could not remove: " + String.join("; ", left) + " — remove by hand");
    }
  }

  private static void exec(Connection connection, String sql, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, value);
      statement.executeUpdate();
    }
  }
}
