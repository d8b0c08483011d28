package ie.skynet.accounts.ops;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.MailStatus;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxWorker;
import ie.skynet.accounts.signup.Completion;
import ie.skynet.accounts.signup.SignupMail;
import ie.skynet.accounts.signup.SignupService;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
public record Preflight(
    Supplier<List<CheckResult>> doctor,
    Database database,
    Memberships memberships,
    Outbox outbox,
    Supplier<Rehearsal> opener,
    OutboxWorker outboxWorker,
    SecureRandom random,
    Clock clock) {

  private static final Duration MAIL_DEADLINE = Duration.ofSeconds(60);

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
    String idWolves = Memberships.rehearsalId(suffix);
    String username = "pf" + suffix;
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
    // A whole second earlier, in ISO form: stored times compare as text, and "12:00:00.5Z" sorts
    // before "12:00:00Z".
    Instant started =
        clock.instant().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
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
            String swept = sweep(opened[0]);
            return results.size() + " checks, none failed" + swept;
          });
      step(
          out,
          2,
          "rehearsal membership",
          () -> {
            database.runInTransaction(
                "adding the rehearsal's membership",
                c ->
                    memberships.addRehearsal(c, idWolves, email, LocalDate.now(clock).plusDays(1)));
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

  /** Sends queued mail until the rehearsal's is accepted by the mail server, or fails. */
  private String sendAndWait(String email, Instant since) throws Exception {
    long deadline = System.nanoTime() + MAIL_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      outboxWorker.run(); // `serve`, if it runs, may send it first: the outbox lets only one
      Outbox.Delivery state = outbox.delivery(email, SignupMail.VERIFY, since).orElse(null);
      if (state != null && state.status() == MailStatus.SENT) {
        return "accepted by the mail server for " + email;
      }
      if (state != null && (state.status() == MailStatus.FAILED || state.lastError() != null)) {
        throw new StepFailed(
            "the mail server did not take it: "
                + (state.lastError() == null ? state.status().code() : state.lastError()));
      }
      Thread.sleep(200);
    }
    throw new StepFailed("the mail was not sent within " + MAIL_DEADLINE.toSeconds() + " s");
  }

  private static Rehearsal opened(Rehearsal[] opened) {
    return java.util.Objects.requireNonNull(opened[0], "opened in step 1");
  }

  /**
   * Removes what an earlier rehearsal left when it was killed before it could clean up: its
   * membership, link and account rows, and its account's entry. Only one preflight runs at a time.
   */
  private String sweep(Rehearsal rehearsal) {
    List<Memberships.Membership> left =
        database.inTransaction(
            "removing what an earlier rehearsal left",
            c -> {
              List<Memberships.Membership> found = memberships.rehearsals(c);
              for (Memberships.Membership membership : found) {
                rehearsal.signup().forgetRehearsal(c, membership.idWolves());
              }
              return found;
            });
    List<String> usernames = new ArrayList<>();
    for (Memberships.Membership membership : left) {
      if (membership.username() != null) {
        usernames.add(membership.username());
      }
    }
    int memberships = left.size();
    for (String username : usernames) {
      rehearsal.directory().deleteAccount(username);
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
      Instant since,
      List<String> made) {
    List<String> left = new ArrayList<>();
    if (made.contains("account") && opened != null) {
      try {
        opened.directory().deleteAccount(username);
      } catch (RuntimeException e) {
        left.add("the LDAP entry " + username + " (" + NetworkProbe.rootMessage(e) + ")");
      }
    }
    try {
      database.runInTransaction(
          "removing the rehearsal's rows",
          c -> {
            if (opened != null) {
              opened.signup().forgetRehearsal(c, idWolves);
            } else {
              memberships.forgetRehearsal(c, idWolves);
            }
            outbox.forget(c, email, since, List.of(SignupMail.VERIFY, SignupMail.WELCOME));
          });
    } catch (DatabaseException e) {
      left.add("rows of " + idWolves + " in the database (" + NetworkProbe.rootMessage(e) + ")");
    }
    if (left.isEmpty()) {
      out.println("✔ cleanup: the rehearsal's membership, mail, link, account and entry are gone");
    } else {
      out.println("✘ cleanup could not remove: " + String.join("; ", left) + " — remove by hand");
    }
  }
}
