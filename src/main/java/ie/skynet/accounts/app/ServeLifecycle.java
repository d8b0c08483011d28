package ie.skynet.accounts.app;

import ie.skynet.accounts.cli.ConfigException;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.web.WebSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code accounts serve} and {@code accounts dev} from start to stop: the database migrated, dev's
 * members loaded, the web service and its background work started, where to go printed; then, when
 * the process is told to stop, everything stopped by a shutdown hook. A start that fails part way
 * leaves nothing running, dev's embedded servers included.
 */
final class ServeLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ServeLifecycle.class);

  private final List<String> problems;
  private final WebSettings web;
  private final Database database;
  private final Memberships memberships;
  private final MembershipImporter membershipImporter;
  private final @Nullable DevStack dev;
  private final Supplier<Running> start;

  /**
   * @param problems what in the configuration stops serving, though other commands may run
   * @param start builds the web service over a new connection to the directory and starts it
   */
  ServeLifecycle(
      List<String> problems,
      WebSettings web,
      Database database,
      Memberships memberships,
      MembershipImporter membershipImporter,
      @Nullable DevStack dev,
      Supplier<Running> start) {
    this.problems = List.copyOf(problems);
    this.web = web;
    this.database = database;
    this.memberships = memberships;
    this.membershipImporter = membershipImporter;
    this.dev = dev;
    this.start = start;
  }

  /**
   * Serves until the process is stopped.
   *
   * @return the exit code once stopped
   */
  int run(PrintWriter out) throws InterruptedException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Running running;
    ImportReport members;
    try {
      MigrationReport migration = database.migrate();
      if (!migration.applied().isEmpty()) {
        out.println("migrated the database to schema version " + migration.toVersion());
      }
      members = loadDevMembers();
      warnAboutTheBaseUrl();
      running = start.get();
    } catch (RuntimeException e) {
      if (dev != null) {
        dev.close();
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "accounts-shutdown"));
    if (dev != null && members != null) {
      new DevGuide(dev, web)
          .print(out, running.port(), members, running.signup().addressThatCanSignUp());
    } else {
      out.println(
          "Skynet Accounts is listening on "
              + web.host()
              + ":"
              + running.port()
              + ", for "
              + web.baseUrl());
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** In dev, loads the members it was given (or the samples); elsewhere nothing. */
  @Nullable ImportReport loadDevMembers() {
    if (dev == null) {
      return null;
    }
    List<String> lost = dev.forgetAccountsMissingFromDirectory(database, memberships);
    if (!lost.isEmpty()) {
      log.warn(
          "the dev directory was not saved last time (a crash?): forgot the accounts {}; their"
              + " members can sign up again",
          lost);
    }
    return dev.loadMembers(membershipImporter);
  }

  /** Settings that serve with, but that members or the signup limit would suffer from. */
  private void warnAboutTheBaseUrl() {
    String linkHost = String.valueOf(web.baseUrl().getHost());
    if (dev == null && (linkHost.equals("localhost") || linkHost.startsWith("127."))) {
      log.warn(
          "web.base-url is {}: links in mail will work only on this machine; set it to the"
              + " address members use",
          web.baseUrl());
    }
    if (web.secure() && !web.trustForwardedFor()) {
      log.warn(
          "web.base-url is https but web.trust-forwarded-for is false: behind a TLS proxy every"
              + " client shares the proxy's address, and so one signup limit");
    }
  }
}
