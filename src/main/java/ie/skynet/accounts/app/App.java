package ie.skynet.accounts.app;

import ie.skynet.accounts.account.AccountRoutes;
import ie.skynet.accounts.account.AccountService;
import ie.skynet.accounts.account.EmailChanges;
import ie.skynet.accounts.account.RecoveryService;
import ie.skynet.accounts.account.SshKeyChanges;
import ie.skynet.accounts.account.SshRecovery;
import ie.skynet.accounts.account.SshRecoveryRoutes;
import ie.skynet.accounts.api.ApiRoutes;
import ie.skynet.accounts.cli.AccountsCommand;
import ie.skynet.accounts.cli.ConfigException;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.cli.Services;
import ie.skynet.accounts.cli.StartupException;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.db.TableGauges;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.membership.ImportGauges;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.ops.Doctor;
import ie.skynet.accounts.ops.FreeSpace;
import ie.skynet.accounts.ops.MetricsRoutes;
import ie.skynet.accounts.ops.Preflight;
import ie.skynet.accounts.ops.Readiness;
import ie.skynet.accounts.ops.Resolver;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxGauges;
import ie.skynet.accounts.outbox.OutboxWorker;
import ie.skynet.accounts.outbox.SmtpMailSender;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.signup.SignupRoutes;
import ie.skynet.accounts.signup.SignupService;
import ie.skynet.accounts.templates.Pages;
import ie.skynet.accounts.web.WebServer;
import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The composition root: every service is built here, by hand, from the configuration. */
public final class App implements Services {
  private static final Logger log = LoggerFactory.getLogger(App.class);
  private static final String ROOT_PACKAGE = "ie.skynet.accounts";

  private final AppConfig config;
  private final Clock clock;

  private final Database database;
  private final MembershipImporter membershipImporter;
  private final Outbox outbox;
  private final OutboxWorker outboxWorker;
  private final @Nullable DevStack dev;
  private final Pages pages;

  private final SecureRandom random;
  private final PasswordPolicy passwords;

  /** The one registry: every service records into it, and {@code /metrics} shows it. */
  private final PrometheusMeterRegistry metrics;

  /** The one SMTP client: the outbox worker sends through it, readiness checks the server. */
  private final SmtpMailSender mailSender;

  private final Doctor doctor;
  private final Preflight preflight;

  private final TableGauges<?> outboxGauges;
  private final TableGauges<?> importGauges;

  App(AppConfig config, Clock clock) {
    this(config, clock, FreeSpace.fileStore(), null, new Pages());
  }

  /**
   * @param freeSpace where doctor reads the disk's free space: the file system, but for tests
   */
  private App(
      AppConfig config, Clock clock, FreeSpace freeSpace, @Nullable DevStack dev, Pages pages) {
    // Logback starts before the configuration is read; the service's own level is set here.
    if (LoggerFactory.getLogger(ROOT_PACKAGE) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.toLevel(config.logLevel()));
    }
    this.config = config;
    this.clock = clock;
    this.dev = dev;
    this.pages = pages;
    this.random = new SecureRandom();
    this.passwords = PasswordPolicy.withShippedList();
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.database = new Database(config.database());
    this.membershipImporter = new MembershipImporter(database, config.imports(), clock, metrics);
    this.outbox = new Outbox(database, clock, metrics);
    this.mailSender = new SmtpMailSender(config.smtp());
    this.outboxWorker =
        new OutboxWorker(database, mailSender, clock, config.smtp().connections(), metrics);
    // Read from the database when scraped: mail is also sent, and members imported, by commands
    // in other processes.
    this.outboxGauges = OutboxGauges.register(outbox, clock, metrics);
    this.importGauges = ImportGauges.register(database, clock, metrics);
    this.doctor =
        new Doctor(
            "loaded",
            config.directory(),
            config.smtp(),
            database,
            config.importMaxAge(),
            Resolver.system(),
            freeSpace,
            clock);
    this.preflight =
        new Preflight(doctor::examine, database, this::rehearsal, outboxWorker, random, clock);
  }

  /** Starts the services from a configuration file and the environment. */
  public static App open(@Nullable Path configFile, Map<String, String> environment) {
    return new App(ConfigLoader.load(configFile, environment), Clock.systemDefaultZone());
  }

  /**
   * As above, with doctor's free space read from {@code freeSpace} (tests: never the machine's).
   */
  static App open(@Nullable Path configFile, Map<String, String> environment, FreeSpace freeSpace) {
    return new App(
        ConfigLoader.load(configFile, environment),
        Clock.systemDefaultZone(),
        freeSpace,
        null,
        new Pages());
  }

  /** Starts the embedded dependencies of {@code accounts dev}, and the services over them. */
  static App dev(DevOptions options, Map<String, String> environment, Clock clock) {
    return dev(options, environment, clock, FreeSpace.fileStore());
  }

  /** As above, with doctor's free space read from {@code freeSpace}. */
  static App dev(
      DevOptions options, Map<String, String> environment, Clock clock, FreeSpace freeSpace) {
    Pages pages = new Pages();
    DevStack stack = DevStack.start(options, pages);
    try {
      return new App(
          ConfigLoader.withoutFile(stack.environment(environment)), clock, freeSpace, stack, pages);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  @Override
  public Database database() {
    return database;
  }

  @Override
  public Doctor doctor() {
    return doctor;
  }

  @Override
  public Preflight preflight() {
    return preflight;
  }

  /**
   * Signup over a new connection to the directory, making accounts under the rehearsal OU; opened
   * by preflight only once doctor has passed, since connecting is itself a step that can fail.
   */
  private Preflight.Rehearsal rehearsal() {
    DirectorySettings settings =
        config.preflightUsersDn().isEmpty()
            ? config.directory()
            : config.directory().withUsersDn(config.preflightUsersDn());
    LdapDirectory directory = new LdapDirectory(settings, metrics);
    SignupService signup =
        new SignupService(
            database,
            directory,
            outbox,
            config.signup(),
            passwords,
            new RequestLimits(clock, 1, Duration.ofSeconds(1)),
            random,
            clock,
            metrics);
    return new PreflightRehearsal(signup, directory);
  }

  @Override
  public MembershipImporter membershipImporter() {
    return membershipImporter;
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public OutboxWorker outboxWorker() {
    return outboxWorker;
  }

  @Override
  public int serve(PrintWriter out) throws InterruptedException {
    if (!config.serveProblems().isEmpty()) {
      throw new ConfigException(config.serveProblems());
    }
    Running running;
    ImportReport members;
    try {
      MigrationReport migration = database.migrate();
      if (!migration.applied().isEmpty()) {
        out.println("migrated the database to schema version " + migration.toVersion());
      }
      members = loadDevMembers();
      running = start();
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
      printDevGuide(out, running, members);
    } else {
      out.println(
          "Skynet Accounts is listening on "
              + config.web().host()
              + ":"
              + running.port()
              + ", for "
              + config.web().baseUrl());
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
    List<String> lost = dev.forgetAccountsMissingFromDirectory(database);
    if (!lost.isEmpty()) {
      log.warn(
          "the dev directory was not saved last time (a crash?): forgot the accounts {}; their"
              + " members can sign up again",
          lost);
    }
    return dev.loadMembers(membershipImporter);
  }

  /** The web service and the outbox worker, running; close stops both (and dev's stack). */
  Running start() {
    LdapDirectory directory = new LdapDirectory(config.directory(), metrics);
    ScheduledExecutorService scheduler = null;
    WebServer web = null;
    try {
      SignupService signup =
          new SignupService(
              database,
              directory,
              outbox,
              config.signup(),
              passwords,
              requestLimits(),
              random,
              clock,
              metrics);
      List<Consumer<RoutesConfig>> routes = new ArrayList<>();
      routes.add(new SignupRoutes(signup, pages)::addTo);
      AuditLog audit = new AuditLog(clock);
      RecoveryService recovery =
          new RecoveryService(
              database,
              directory,
              outbox,
              passwords,
              audit,
              requestLimits(),
              config.web().baseUrl(),
              random,
              clock);
      AccountService accounts =
          new AccountService(
              database,
              directory,
              outbox,
              passwords,
              audit,
              config.limits().loginClientFailures(),
              random,
              clock);
      EmailChanges emailChanges =
          new EmailChanges(
              database,
              directory,
              outbox,
              requestLimits(),
              audit,
              config.web().baseUrl(),
              random,
              clock);
      SshKeyChanges keys = new SshKeyChanges(database, directory, outbox, audit, clock);
      SshRecovery sshRecovery =
          new SshRecovery(
              database,
              directory,
              recovery,
              requestLimits(),
              audit,
              config.limits().loginClientFailures(),
              random,
              clock);
      routes.add(
          new AccountRoutes(accounts, recovery, emailChanges, keys, pages, config.web().secure())
              ::addTo);
      routes.add(new SshRecoveryRoutes(sshRecovery, pages)::addTo);
      routes.add(new ApiRoutes(signup, accounts, emailChanges, keys, recovery, sshRecovery)::addTo);
      routes.add(
          new Readiness(database, directory, mailSender, Duration.ofSeconds(10), clock)::addTo);
      if (dev != null) {
        routes.add(dev.mailbox::addTo); // dev only: serve never has a mailbox to show
      }
      if (config.web().metrics()) {
        MetricsRoutes metricsRoutes =
            new MetricsRoutes(metrics, List.of(outboxGauges::refresh, importGauges::refresh));
        routes.add(r -> metricsRoutes.addTo(r, WebServer.METRICS_PATH));
      }
      String linkHost = String.valueOf(config.web().baseUrl().getHost());
      if (dev == null && (linkHost.equals("localhost") || linkHost.startsWith("127."))) {
        log.warn(
            "web.base-url is {}: links in mail will work only on this machine; set it to the"
                + " address members use",
            config.web().baseUrl());
      }
      if (config.web().secure() && !config.web().trustForwardedFor()) {
        log.warn(
            "web.base-url is https but web.trust-forwarded-for is false: behind a TLS proxy every"
                + " client shares the proxy's address, and so one signup limit");
      }
      byte[] csrfKey = database.secret("csrf-key", 32, random, clock);
      web =
          new WebServer(
              config.web(),
              random,
              csrfKey,
              pages,
              routes,
              metrics,
              dev != null ? dev.webSocket() : null);
      try {
        web.start();
      } catch (RuntimeException e) {
        web = null; // never started: nothing to stop
        if (causedByBind(e)) {
          throw new StartupException(
              "cannot listen on "
                  + config.web().host()
                  + ":"
                  + config.web().port()
                  + " (is the port in use? "
                  + (dev != null ? "choose another with --port" : "set web.port")
                  + ")",
              e);
        }
        throw e;
      }
      // One background thread: answer waiting signup requests, then send what that (and anything
      // else) queued. A pass of sending stops taking new mail after a while, so a slow mail
      // server delays answering by at most that long.
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "background");
                thread.setDaemon(true);
                return thread;
              });
      Runnable answering =
          guarded(
              "answering requests",
              () -> {
                signup.answerWaiting();
                recovery.answerWaiting();
              });
      Runnable sending = guarded("the outbox", outboxWorker);
      scheduler.scheduleWithFixedDelay(
          () -> {
            answering.run();
            sending.run();
          },
          0,
          config.outboxPoll().toMillis(),
          TimeUnit.MILLISECONDS);
      return new Running(web, scheduler, outboxWorker, directory, signup, dev);
    } catch (RuntimeException e) {
      if (web != null) {
        web.close();
      }
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      directory.close();
      throw e;
    }
  }

  /**
   * A scheduled task that survives anything: a scheduler silently stops repeating a task that
   * throws, and a service that quietly stops sending mail is what this project exists to prevent.
   */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable e) {
        log.error("{} failed in the background; trying again next pass", what, e);
      }
    };
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
  }

  private void printDevGuide(PrintWriter out, Running running, ImportReport members) {
    DevStack stack = java.util.Objects.requireNonNull(dev);
    String url = config.web().baseUrl().toString();
    int ldapPort = stack.directory.getListenPort();
    String ldap = "ldap://127.0.0.1:" + ldapPort;
    out.println("Skynet Accounts dev is running. Everything listens on this machine only.");
    out.println();
    out.println("  Web:      " + url + "/");
    out.println("  Mailbox:  " + url + "/dev/mail  (every mail the service sends lands here)");
    if (config.web().metrics()) {
      out.println("  Metrics:  " + url + WebServer.METRICS_PATH + "  (Prometheus text format)");
    }
    out.println("  LDAP:     " + ldap + "  (accounts under " + DevDirectory.USERS + ")");
    out.println(
        "            bind DN "
            + DevDirectory.SERVICE_DN
            + ", password "
            + DevStack.SERVICE_PASSWORD);
    out.println("  SMTP:     127.0.0.1:" + stack.mailbox.port() + " (the mail catcher)");
    out.println(
        "  Data:     "
            + stack.options.data().toAbsolutePath()
            + " (the database; the directory is saved there on exit)");
    Path checkConfig = stack.writeCheckConfig(running.port());
    out.println("  Check:    accounts doctor --config " + checkConfig + "  (from another shell)");
    out.println(
        "  Members:  "
            + members.rowsRead()
            + " loaded from "
            + (stack.options.members() == null ? "the sample export" : stack.options.members()));
    out.println();
    String sample = running.signup().addressThatCanSignUp().orElse(null);
    if (sample != null) {
      out.println("Try it: open " + url + "/signup and ask with " + sample + ",");
      out.println("then open the link in the mail at " + url + "/dev/mail.");
    } else {
      out.println(
          "Every current member already has an account; load others with --members FILE, or"
              + " delete "
              + stack.options.data()
              + " to start afresh.");
    }
    out.println("Then find the account with:");
    out.println(
        "  ldapsearch -x -H "
            + ldap
            + " -D "
            + DevDirectory.SERVICE_DN
            + " -w "
            + DevStack.SERVICE_PASSWORD
            + " -b "
            + DevDirectory.USERS
            + " '(uid=*)'");
    out.println("Stop with Ctrl-C.");
  }

  /** What {@link #start()} started. */
  record Running(
      WebServer web,
      ScheduledExecutorService scheduler,
      OutboxWorker outboxWorker,
      LdapDirectory directory,
      SignupService signup,
      @Nullable DevStack dev)
      implements AutoCloseable {
    int port() {
      return web.port();
    }

    @Override
    public void close() {
      web.close();
      signup.close();
      outboxWorker.stop();
      scheduler.shutdown();
      try {
        if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
          log.warn("the outbox worker did not finish within 30 s; its mail stays queued");
          scheduler.shutdownNow();
        }
      } catch (InterruptedException e) {
        scheduler.shutdownNow();
        Thread.currentThread().interrupt();
      }
      directory.close();
      if (dev != null) {
        dev.close();
      }
    }
  }

  /** The command line, with the exit codes of the CLI contract: 0 ok, 1 failure, 2 usage/config. */
  public static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, FreeSpace.fileStore());
  }

  /**
   * As above, with doctor's free space read from {@code freeSpace} (tests: never the machine's).
   */
  static CommandLine commandLine(Map<String, String> environment, FreeSpace freeSpace) {
    return AccountsCommand.commandLine(new Launcher(environment, freeSpace));
  }

  /**
   * Limits on asking for mail, on the configured settings. Each purpose gets its own, so its own
   * buckets: members asking for signup mail must not use up the budget of password resets.
   */
  private RequestLimits requestLimits() {
    return new RequestLimits(clock, config.limits().clientBurst(), config.limits().clientWindow());
  }
}
