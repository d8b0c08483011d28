package ie.skynet.accounts.app;

import ie.skynet.accounts.account.AccountRoutes;
import ie.skynet.accounts.account.AccountService;
import ie.skynet.accounts.account.EmailChanges;
import ie.skynet.accounts.account.EndedRecords;
import ie.skynet.accounts.account.LoginNotice;
import ie.skynet.accounts.account.RecoveryRoutes;
import ie.skynet.accounts.account.RecoveryService;
import ie.skynet.accounts.account.SshKeyChanges;
import ie.skynet.accounts.account.SshRecovery;
import ie.skynet.accounts.account.SshRecoveryRoutes;
import ie.skynet.accounts.admin.AdminRoutes;
import ie.skynet.accounts.admin.EventRoutes;
import ie.skynet.accounts.api.ApiRoutes;
import ie.skynet.accounts.asks.Answerer;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.cli.AccountsCommand;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.cli.Services;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.db.TableGauges;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.http.Flash;
import ie.skynet.accounts.lifecycle.Disabling;
import ie.skynet.accounts.lifecycle.GroupSync;
import ie.skynet.accounts.lifecycle.Housekeeping;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.ImportGauges;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.membership.WolvesApi;
import ie.skynet.accounts.ops.Doctor;
import ie.skynet.accounts.ops.FreeSpace;
import ie.skynet.accounts.ops.MailDns;
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
import ie.skynet.accounts.templates.Mails;
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
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * The composition root: every service is built here, by hand, from the configuration, once each,
 * and handed out. What needs a directory connection is built only by {@link #start()}, when the web
 * service starts; everything else here, for every command.
 */
public final class App implements Services {
  private final AppConfig config;
  private final Clock clock;

  private final Database database;
  private final Memberships memberships;
  private final MembershipImporter membershipImporter;
  private final @Nullable WolvesApi wolves;
  private final Outbox outbox;
  private final AskQueue asks;
  private final Links links;
  private final OutboxWorker outboxWorker;
  private final @Nullable DevStack dev;
  private final Pages pages;

  /** The one audit log: every feature records into it. */
  private final AuditLog audit;

  private final Mails mails;
  private final BaseUrl baseUrl;

  /** Whether a signup event is on: the request limits ask it, the admin pages switch it. */
  private final EventMode events;

  private final SecureRandom random;
  // Built when first asked for: only serving and a rehearsal check passwords, and loading its
  // lists is a tenth of a second of every other command's start.
  private @Nullable PasswordPolicy passwords;

  /** The one registry: every service records into it, and {@code /metrics} shows it. */
  private final PrometheusMeterRegistry metrics;

  /** The one SMTP client: the outbox worker sends through it, readiness checks the server. */
  private final SmtpMailSender mailSender;

  private final Doctor doctor;
  private final Preflight preflight;

  private final TableGauges<?> outboxGauges;
  private final TableGauges<?> importGauges;
  private final TableGauges<?> syncGauges;
  private final TableGauges<?> housekeepingGauges;
  private final Housekeeping housekeeping;

  private final ServeLifecycle serving;

  App(AppConfig config, Clock clock) {
    this(config, clock, FreeSpace.fileStore(), null, new Pages());
  }

  /**
   * @param freeSpace where doctor reads the disk's free space: the file system, but for tests
   */
  private App(
      AppConfig config, Clock clock, FreeSpace freeSpace, @Nullable DevStack dev, Pages pages) {
    LogLevel.set(config.logLevel());
    this.config = config;
    this.clock = clock;
    this.dev = dev;
    this.pages = pages;
    this.random = new SecureRandom();
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.database = new Database(config.database());
    this.memberships = new Memberships(database);
    this.membershipImporter = new MembershipImporter(database, config.imports(), clock, metrics);
    this.wolves =
        config.wolves().configured() ? new WolvesApi(config.wolves(), WolvesApi.SLEEP) : null;
    this.outbox = new Outbox(database, clock, metrics);
    this.audit = new AuditLog(clock);
    this.baseUrl = new BaseUrl(config.web().baseUrl());
    this.mails = new Mails(baseUrl, outbox, config.timeZone());
    this.events = new EventMode(database, audit, random, clock);
    this.asks = new AskQueue(database, outbox, clock);
    this.links = new Links(database, random, clock);
    this.mailSender = new SmtpMailSender(config.smtp());
    this.outboxWorker =
        new OutboxWorker(database, mailSender, clock, config.smtp().connections(), metrics);
    // Read from the database when scraped: mail is also sent, and members imported, by commands
    // in other processes.
    this.outboxGauges = OutboxGauges.register(outbox, clock, metrics);
    this.importGauges = ImportGauges.register(database, clock, metrics);
    this.syncGauges = JobLeases.gauges(database, GroupSync.JOB, "accounts.sync", clock, metrics);
    this.housekeepingGauges =
        JobLeases.gauges(database, Housekeeping.JOB, "accounts.housekeeping", clock, metrics);
    this.housekeeping =
        new Housekeeping(
            database,
            memberships,
            links,
            asks,
            outbox,
            audit,
            EndedRecords::sessions,
            EndedRecords::sshChallenges,
            config.retention(),
            clock);
    this.doctor =
        new Doctor(
            "loaded",
            config.directory(),
            config.smtp(),
            config.wolves(),
            database,
            config.importMaxAge(),
            config.lifecycle().syncPeriod(),
            Resolver.system(),
            MailDns.system(config.smtp().timeout()),
            freeSpace,
            clock);
    this.preflight =
        new Preflight(
            doctor::examine,
            database,
            memberships,
            outbox,
            this::rehearsal,
            outboxWorker,
            random,
            clock);
    this.serving =
        new ServeLifecycle(
            config.serveProblems(),
            config.web(),
            database,
            memberships,
            membershipImporter,
            dev,
            this::start);
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

  @Override
  public GroupSync.Outcome syncGroups(boolean dryRun, boolean force) {
    try (LdapDirectory directory = new LdapDirectory(config.directory(), metrics)) {
      return JobSchedule.byHand(
          groupSync(directory), new JobLeases(database, clock), dryRun, force, clock);
    }
  }

  @Override
  public Housekeeping.Outcome housekeeping(boolean dryRun) {
    return JobSchedule.housekeepingByHand(
        housekeeping, new JobLeases(database, clock), dryRun, clock);
  }

  private GroupSync groupSync(Directory directory) {
    return new GroupSync(
        database,
        memberships,
        directory,
        audit,
        config.lifecycle(),
        config.directory().loginShell(),
        config.directory().roleGroups(),
        clock);
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
    // A rehearsal asks once: its own tight limits, never the service's budget.
    return new PreflightRehearsal(
        signup(directory, new RequestLimits(clock, 1, Duration.ofSeconds(1))), directory);
  }

  /** Signup over this directory, with these limits on asking for mail. */
  private SignupService signup(LdapDirectory directory, RequestLimits limits) {
    return new SignupService(
        database,
        memberships,
        asks,
        links,
        directory,
        config.signup(),
        mails,
        passwords(),
        limits,
        audit,
        clock,
        metrics);
  }

  @Override
  public MembershipImporter membershipImporter() {
    return membershipImporter;
  }

  @Override
  public @Nullable WolvesApi wolvesApi() {
    return wolves;
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
    return serving.run(out);
  }

  /** Serving from start to stop; tests take its steps one by one. */
  ServeLifecycle serving() {
    return serving;
  }

  /**
   * Builds the web service over a new connection to the directory, with the background work beside
   * it, and starts both; closing what it returns stops them (and dev's stack).
   */
  Running start() {
    LdapDirectory directory = new LdapDirectory(config.directory(), metrics);
    try {
      SignupService signup = signup(directory, requestLimits());
      List<Consumer<RoutesConfig>> routes = new ArrayList<>();
      routes.add(new SignupRoutes(signup, pages, new Flash<>(clock, random))::addTo);
      Flash<LoginNotice> loginNotices = new Flash<>(clock, random);
      RecoveryService recovery =
          new RecoveryService(
              database,
              memberships,
              asks,
              links,
              directory,
              passwords(),
              audit,
              requestLimits(),
              mails,
              random,
              clock);
      AccountService accounts =
          new AccountService(
              database,
              memberships,
              links,
              directory,
              passwords(),
              audit,
              mails,
              config.lifecycle().admins(),
              config.limits().loginClientFailures(),
              random,
              clock);
      EmailChanges emailChanges =
          new EmailChanges(
              database, memberships, links, directory, requestLimits(), audit, mails, clock);
      SshKeyChanges keys = new SshKeyChanges(database, directory, audit, mails, clock);
      SshRecovery sshRecovery =
          new SshRecovery(
              database,
              memberships,
              directory,
              recovery,
              requestLimits(),
              audit,
              config.limits().loginClientFailures(),
              random,
              clock);
      AccountRoutes accountRoutes =
          new AccountRoutes(
              accounts,
              emailChanges,
              keys,
              pages,
              config.web().secure(),
              config.signup().joinUrl(),
              new Flash<>(clock, random),
              loginNotices);
      routes.add(accountRoutes::addTo);
      GroupSync groupSync = groupSync(directory);
      AdminRoutes adminRoutes =
          new AdminRoutes(
              accountRoutes,
              accounts,
              database,
              memberships,
              audit,
              outbox,
              asks,
              new Disabling(database, memberships, groupSync, audit),
              events,
              pages,
              clock);
      routes.add(adminRoutes::addTo);
      routes.add(
          new EventRoutes(adminRoutes, events, database, memberships, outbox, baseUrl, pages, clock)
              ::addTo);
      routes.add(new RecoveryRoutes(recovery, pages, loginNotices)::addTo);
      routes.add(new SshRecoveryRoutes(sshRecovery, pages)::addTo);
      routes.add(new ApiRoutes(signup, accounts, emailChanges, keys, recovery, sshRecovery)::addTo);
      routes.add(
          new Readiness(database, directory, mailSender, Duration.ofSeconds(10), clock)::addTo);
      if (dev != null) {
        routes.add(dev.mailbox::addTo); // dev only: serve never has a mailbox to show
      }
      if (config.web().metrics()) {
        MetricsRoutes metricsRoutes =
            new MetricsRoutes(
                metrics,
                List.of(
                    outboxGauges::refresh,
                    importGauges::refresh,
                    syncGauges::refresh,
                    housekeepingGauges::refresh));
        routes.add(r -> metricsRoutes.addTo(r, WebServer.METRICS_PATH));
      }
      byte[] csrfKey = database.secret("csrf-key", 32, random, clock);
      WebServer web =
          new WebServer(
              config.web(),
              random,
              csrfKey,
              pages,
              routes,
              metrics,
              entry -> audit.record(database, entry),
              dev != null ? dev.webSocket() : null);
      List<Answerer> answerers = List.of(signup, recovery);
      List<JobSchedule.Job> periodic = new ArrayList<>();
      if (wolves != null) {
        // First: the schedule runs jobs in order, so the groups follow the members just fetched.
        periodic.add(
            JobSchedule.wolvesSync(membershipImporter, wolves, config.lifecycle().syncPeriod()));
      }
      periodic.add(JobSchedule.groupSync(groupSync, config.lifecycle().syncPeriod()));
      periodic.add(JobSchedule.housekeeping(housekeeping));
      JobSchedule jobs =
          new JobSchedule(new JobLeases(database, clock), UUID.randomUUID().toString(), periodic);
      Background background =
          new Background(
              config.outboxPoll(),
              () -> asks.answerWaiting(answerers),
              outboxWorker,
              Duration.ofMinutes(1),
              jobs::runDue);
      return new Running(
              web, background, jobs, outboxWorker, directory, signup, asks, answerers, dev)
          .start(config.web());
    } catch (RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /**
   * The command line to run {@code args}, with the exit codes of the CLI contract: 0 ok, 1 failure,
   * 2 usage/config.
   */
  public static CommandLine commandLine(Map<String, String> environment, String[] args) {
    return commandLine(environment, FreeSpace.fileStore(), args);
  }

  /**
   * As above, with doctor's free space read from {@code freeSpace} (tests: never the machine's).
   */
  static CommandLine commandLine(
      Map<String, String> environment, FreeSpace freeSpace, String[] args) {
    return AccountsCommand.commandLine(new Launcher(environment, freeSpace), args);
  }

  private synchronized PasswordPolicy passwords() {
    if (passwords == null) {
      passwords = PasswordPolicy.withShippedList();
    }
    return passwords;
  }

  /**
   * Limits on asking for mail, on the configured settings. Each purpose gets its own, so its own
   * buckets: members asking for signup mail must not use up the budget of password resets. During a
   * signup event each network's share is the event's.
   */
  private RequestLimits requestLimits() {
    return new RequestLimits(
        clock,
        config.limits().clientBurst(),
        config.limits().clientWindow(),
        config.limits().eventClientBurst(),
        events::isOn);
  }
}
