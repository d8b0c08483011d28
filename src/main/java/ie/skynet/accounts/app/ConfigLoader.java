package ie.skynet.accounts.app;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import ie.skynet.accounts.account.AccountService;
import ie.skynet.accounts.cli.ConfigException;
import ie.skynet.accounts.db.DatabaseSettings;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.lifecycle.RetentionSettings;
import ie.skynet.accounts.membership.CsvColumns;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.LifecycleSettings;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import ie.skynet.accounts.signup.SignupSettings;
import ie.skynet.accounts.signup.UsernamePolicy;
import ie.skynet.accounts.signup.WhatNext;
import ie.skynet.accounts.web.WebSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Turns the configuration file and environment into an {@link AppConfig}, or a {@link
 * ConfigException} listing every problem at once. Every key here is documented in {@code
 * accounts.example.conf}; a test keeps the two in step.
 */
public final class ConfigLoader {
  /** The file read when {@code --config} is not given, if it exists. */
  public static final Path DEFAULT_FILE = Path.of("accounts.conf");

  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    CsvColumns columns = CsvColumns.WOLVES_DEFAULTS;
    Map<String, String> d = new LinkedHashMap<>();
    d.put("log.level", "INFO");
    d.put("database.url", DatabaseSettings.SQLITE_PREFIX + "data/accounts.db");
    d.put("import.column.id", columns.id());
    d.put("import.column.student-number", columns.studentNumber());
    d.put("import.column.first-name", columns.firstName());
    d.put("import.column.last-name", columns.lastName());
    d.put("import.column.email", columns.email());
    d.put("import.column.expiry", columns.expiry());
    d.put("import.date-format", "");
    d.put("import.expiry-guard", "0.10");
    WolvesApiSettings wolves = WolvesApiSettings.NOT_CONFIGURED;
    WolvesApiSettings.Fields fields = wolves.fields();
    d.put("wolves.api-url", "");
    d.put("wolves.api-method", wolves.method());
    d.put("wolves.api-key-header", wolves.keyHeader());
    d.put("wolves.api-key", "");
    d.put("wolves.field.success", fields.success());
    d.put("wolves.field.result", fields.result());
    d.put("wolves.field.pages", fields.pages());
    d.put("wolves.field.id", fields.id());
    d.put("wolves.field.student-number", fields.studentNumber());
    d.put("wolves.field.first-name", fields.firstName());
    d.put("wolves.field.last-name", fields.lastName());
    d.put("wolves.field.email", fields.email());
    d.put("wolves.field.expiry", fields.expiry());
    d.put("wolves.page-size", Integer.toString(wolves.pageSize()));
    d.put("wolves.timeout-seconds", Long.toString(wolves.timeout().toSeconds()));
    d.put("wolves.retries", Integer.toString(wolves.retries()));
    d.put("smtp.host", "localhost");
    d.put("smtp.port", "25");
    d.put("smtp.security", "none");
    d.put("smtp.username", "");
    d.put("smtp.password", "");
    d.put("smtp.from", "Skynet Accounts <accounts@skynet.ie>");
    d.put("smtp.timeout-seconds", "10");
    d.put("smtp.connections", "4");
    d.put("web.host", "127.0.0.1");
    d.put("web.port", "8080");
    d.put("web.base-url", "http://localhost:8080");
    d.put("web.trust-forwarded-for", "false");
    d.put("web.metrics", "true");
    d.put("ldap.host", "localhost");
    d.put("ldap.port", "636");
    d.put("ldap.security", "ldaps");
    d.put("ldap.ca-file", "");
    d.put("ldap.bind-dn", "cn=accounts-service,dc=skynet,dc=ie");
    d.put("ldap.bind-password", "");
    d.put("ldap.users-dn", "ou=users,dc=skynet,dc=ie");
    d.put("ldap.members-group-dn", "cn=skynet-users,ou=groups,dc=skynet,dc=ie");
    d.put("ldap.admins-group-dn", "");
    d.put("ldap.committee-group-dn", "");
    d.put("ldap.uid-counter-dn", "cn=uid-counter,dc=skynet,dc=ie");
    d.put("ldap.wolves-id-attribute", "employeeNumber");
    d.put("ldap.discord-attribute", "skDiscord");
    d.put("ldap.gid-number", "1000");
    d.put("ldap.home-base", "/home");
    d.put("ldap.login-shell", "/bin/bash");
    d.put("ldap.pool-size", "8");
    d.put("ldap.timeout-seconds", "10");
    d.put("signup.join-url", "https://ulwolves.ie/society/computer");
    d.put("signup.token-lifetime-hours", "24");
    d.put("signup.username-pattern", UsernamePolicy.DEFAULT_PATTERN);
    d.put("signup.client-burst", "100");
    d.put("signup.client-window-seconds", "600");
    d.put("signup.event-client-burst", "2000");
    d.put("login.client-failures", "30");
    d.put("society.time-zone", "Europe/Dublin");
    d.put("society.login-host", "skynet.ie");
    d.put("society.services-url", "https://skynet.ie");
    d.put("lifecycle.admins", "");
    d.put("lifecycle.committee", "");
    d.put("lifecycle.lifetime", "");
    d.put("lifecycle.banned", "");
    d.put("lifecycle.grace-days", "0");
    d.put("lifecycle.disabled-shell", "/usr/sbin/nologin");
    d.put("lifecycle.max-deactivate-share", "0.10");
    d.put("lifecycle.sync-hours", "8");
    d.put("retention.unlinked-member-months", "13");
    d.put("retention.audit-days", "400");
    d.put("retention.sent-mail-days", "30");
    d.put("retention.failed-mail-days", "90");
    d.put("outbox.poll-millis", "1000");
    d.put("doctor.import-max-age-hours", "48");
    d.put("preflight.users-dn", "");
    return Map.copyOf(d);
  }

  private ConfigLoader() {}

  /**
   * @param file the file named by {@code --config}; null to read {@link #DEFAULT_FILE} if present
   */
  public static AppConfig load(@Nullable Path file, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    Path source = file;
    if (source == null && Files.isRegularFile(DEFAULT_FILE)) {
      source = DEFAULT_FILE;
    } else if (source != null && !Files.isRegularFile(source)) {
      problems.add(source + ": configuration file not found");
      source = null;
    }
    return load(source, environment, problems);
  }

  /** The defaults and the environment only: {@code accounts dev} never reads accounts.conf. */
  static AppConfig withoutFile(Map<String, String> environment) {
    return load(null, environment, new ArrayList<>());
  }

  private static AppConfig load(
      @Nullable Path source, Map<String, String> environment, List<String> problems) {
    ConfigSource settings = ConfigSource.read(DEFAULTS, source, environment, problems);

    String url = settings.get("database.url").value();
    if (!url.startsWith(DatabaseSettings.SQLITE_PREFIX)
        || url.length() == DatabaseSettings.SQLITE_PREFIX.length()) {
      problems.add(
          describe(settings, "database.url")
              + ": expected a SQLite JDBC URL such as jdbc:sqlite:data/accounts.db"
              + " (PostgreSQL support is not built yet), found '"
              + url
              + "'");
    }

    CsvColumns columns =
        new CsvColumns(
            column(settings, "import.column.id", problems),
            column(settings, "import.column.student-number", problems),
            column(settings, "import.column.first-name", problems),
            column(settings, "import.column.last-name", problems),
            column(settings, "import.column.email", problems),
            column(settings, "import.column.expiry", problems));
    var seen = new HashSet<String>();
    for (String key :
        DEFAULTS.keySet().stream().filter(k -> k.startsWith("import.column.")).sorted().toList()) {
      String name = settings.get(key).value().toLowerCase(java.util.Locale.ROOT);
      if (!name.isEmpty() && !seen.add(name)) {
        problems.add(
            describe(settings, key)
                + ": column '"
                + name
                + "' is already used by another import.column key");
      }
    }

    String dateFormat = settings.get("import.date-format").value();
    if (!dateFormat.isEmpty()) {
      String problem = ImportSettings.datePatternProblem(dateFormat);
      if (problem != null) {
        problems.add(describe(settings, "import.date-format") + ": " + problem);
      }
    }

    double guard = share(settings, "import.expiry-guard", problems);
    WolvesApiSettings wolves = wolves(settings, problems);

    String logLevel = settings.get("log.level").value().toUpperCase(java.util.Locale.ROOT);
    if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(logLevel)) {
      problems.add(
          describe(settings, "log.level")
              + ": expected one of ERROR, WARN, INFO, DEBUG, TRACE, found '"
              + settings.get("log.level").value()
              + "'");
    }

    SmtpSettings smtp = smtp(settings, problems);
    WebSettings web = web(settings, problems);
    List<String> serveProblems = new ArrayList<>();
    DirectorySettings directory = directory(settings, problems, serveProblems);
    AppConfig.Limits limits =
        new AppConfig.Limits(
            integer(settings, "signup.client-burst", 1, 1_000_000, problems),
            Duration.ofSeconds(
                integer(settings, "signup.client-window-seconds", 1, 86_400, problems)),
            integer(settings, "signup.event-client-burst", 1, 1_000_000, problems),
            integer(settings, "login.client-failures", 1, 1_000_000, problems));
    LifecycleSettings lifecycle = lifecycle(settings, problems);
    // The list is updated on a schedule only by the Wolves sync, which serve runs every sync
    // period; CSV imports are run by hand, so no next update can be promised for them.
    SignupSettings signup =
        signup(settings, lifecycle, wolves.configured() ? lifecycle.syncPeriod() : null, problems);
    ZoneId timeZone = zone(settings, "society.time-zone", problems);
    RetentionSettings retention =
        new RetentionSettings(
            integer(settings, "retention.unlinked-member-months", 1, 1200, problems),
            integer(settings, "retention.audit-days", 1, 36_500, problems),
            integer(settings, "retention.sent-mail-days", 1, 36_500, problems),
            integer(settings, "retention.failed-mail-days", 1, 36_500, problems));
    Duration outboxPoll =
        Duration.ofMillis(integer(settings, "outbox.poll-millis", 50, 3_600_000, problems));
    String preflightUsersDn = settings.get("preflight.users-dn").value().strip();
    Duration importMaxAge =
        Duration.ofHours(integer(settings, "doctor.import-max-age-hours", 1, 8_760, problems));

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AppConfig(
        logLevel,
        new DatabaseSettings(url),
        new ImportSettings(columns, dateFormat.isEmpty() ? null : dateFormat, guard),
        wolves,
        smtp,
        web,
        directory,
        signup,
        limits,
        lifecycle,
        retention,
        outboxPoll,
        importMaxAge,
        preflightUsersDn,
        timeZone,
        List.copyOf(serveProblems));
  }

  private static WolvesApiSettings wolves(ConfigSource settings, List<String> problems) {
    String urlText = settings.get("wolves.api-url").value();
    URI url = null;
    if (!urlText.isEmpty()) {
      url = url(settings, "wolves.api-url", problems);
      if (url.getHost() != null && "http".equals(url.getScheme()) && !isLoopback(url.getHost())) {
        problems.add(
            describe(settings, "wolves.api-url")
                + ": http:// would send the API key in clear; expected https:// (http is allowed"
                + " only for a server on this machine), found '"
                + urlText
                + "'");
      }
    }
    String method = settings.get("wolves.api-method").value().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("POST")) {
      problems.add(
          describe(settings, "wolves.api-method")
              + ": expected GET or POST, found '"
              + settings.get("wolves.api-method").value()
              + "'");
    }
    String header = settings.get("wolves.api-key-header").value();
    if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      problems.add(
          describe(settings, "wolves.api-key-header")
              + ": expected an HTTP header name such as X-AM-Identity, found '"
              + header
              + "'");
    }
    ConfigSource.Setting key = settings.get("wolves.api-key");
    if (url != null && key.value().isEmpty()) {
      problems.add(
          describe(settings, "wolves.api-key")
              + ": wolves.api-url is set, so the API key is needed; put it in a file readable only"
              + " by the service and name it: wolves.api-key-file=/etc/skynet-accounts/wolves-key");
    }
    if (key.value().chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      // Never the key itself in the message: where it is, and what is wrong with it.
      problems.add(
          describe(settings, "wolves.api-key")
              + ": the key contains spaces, line breaks or control characters; expected the key"
              + " alone (a final newline in a file is fine)");
    }
    List<String> fieldKeys =
        List.of(
            "wolves.field.success",
            "wolves.field.result",
            "wolves.field.pages",
            "wolves.field.id",
            "wolves.field.student-number",
            "wolves.field.first-name",
            "wolves.field.last-name",
            "wolves.field.email",
            "wolves.field.expiry");
    List<String> fieldNames = new ArrayList<>();
    for (String fieldKey : fieldKeys) {
      String value = settings.get(fieldKey).value();
      if (value.isEmpty()) {
        problems.add(
            describe(settings, fieldKey) + ": expected the name of a JSON field, found nothing");
      } else if (fieldKeys.indexOf(fieldKey) >= 3
          && fieldNames.subList(3, fieldNames.size()).contains(value)) {
        // The envelope's names may repeat a member's; two member fields may not share one.
        problems.add(
            describe(settings, fieldKey)
                + ": field '"
                + value
                + "' is already used by another wolves.field key of a member");
      }
      fieldNames.add(value);
    }
    return new WolvesApiSettings(
        url,
        method,
        header,
        key.value(),
        key.value().isEmpty() ? "nowhere (wolves.api-key is empty)" : key.origin(),
        new WolvesApiSettings.Fields(
            fieldNames.get(0),
            fieldNames.get(1),
            fieldNames.get(2),
            fieldNames.get(3),
            fieldNames.get(4),
            fieldNames.get(5),
            fieldNames.get(6),
            fieldNames.get(7),
            fieldNames.get(8)),
        integer(settings, "wolves.page-size", 0, 100_000, problems),
        Duration.ofSeconds(integer(settings, "wolves.timeout-seconds", 1, 600, problems)),
        integer(settings, "wolves.retries", 0, 10, problems));
  }

  private static WebSettings web(ConfigSource settings, List<String> problems) {
    String host = settings.get("web.host").value();
    if (host.isEmpty()) {
      problems.add(
          describe(settings, "web.host") + ": expected an address to listen on, e.g. 127.0.0.1");
    }
    int port = integer(settings, "web.port", 0, 65_535, problems);
    URI baseUrl = url(settings, "web.base-url", problems);
    if (baseUrl.getPath() != null && baseUrl.getPath().length() > 1) {
      problems.add(
          describe(settings, "web.base-url")
              + ": expected the site's root such as https://accounts.skynet.ie, without a path,"
              + " found '"
              + baseUrl
              + "'");
    }
    return new WebSettings(
        host,
        port,
        baseUrl,
        bool(settings, "web.trust-forwarded-for", problems),
        bool(settings, "web.metrics", problems));
  }

  private static DirectorySettings directory(
      ConfigSource settings, List<String> problems, List<String> serveProblems) {
    String host = settings.get("ldap.host").value();
    if (host.isEmpty()) {
      problems.add(describe(settings, "ldap.host") + ": expected the LDAP server's host name");
    }
    int port = integer(settings, "ldap.port", 1, 65_535, problems);
    String securityText = settings.get("ldap.security").value();
    DirectorySettings.Security security = DirectorySettings.Security.LDAPS;
    try {
      security = DirectorySettings.Security.valueOf(securityText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(
          describe(settings, "ldap.security")
              + ": expected ldaps, starttls or none, found '"
              + securityText
              + "'");
    }
    if (security == DirectorySettings.Security.NONE && !isLoopback(host)) {
      problems.add(
          describe(settings, "ldap.security")
              + ": 'none' sends the service password and members' new passwords in clear; it is"
              + " allowed only for a server on this machine, but ldap.host is '"
              + host
              + "' (use ldaps or starttls)");
    }
    String caText = settings.get("ldap.ca-file").value();
    Path caFile = caText.isEmpty() ? null : Path.of(caText);
    if (caFile != null && !Files.isReadable(caFile)) {
      problems.add(
          describe(settings, "ldap.ca-file")
              + ": expected a readable PEM file of CA certificates, found no file at '"
              + caText
              + "'");
    }
    String password = settings.get("ldap.bind-password").value();
    if (password.isEmpty()) {
      serveProblems.add(
          describe(settings, "ldap.bind-password")
              + ": expected the password of ldap.bind-dn (or ldap.bind-password-file)");
    }
    return new DirectorySettings(
        host,
        port,
        security,
        caFile,
        dn(settings, "ldap.bind-dn", problems),
        password,
        dn(settings, "ldap.users-dn", problems),
        dn(settings, "ldap.members-group-dn", problems),
        optionalDn(settings, "ldap.admins-group-dn", problems),
        optionalDn(settings, "ldap.committee-group-dn", problems),
        dn(settings, "ldap.uid-counter-dn", problems),
        attribute(settings, "ldap.wolves-id-attribute", problems),
        settings.get("ldap.discord-attribute").value().isBlank()
            ? null
            : attribute(settings, "ldap.discord-attribute", problems),
        integer(settings, "ldap.gid-number", 0, Integer.MAX_VALUE, problems),
        path(settings, "ldap.home-base", problems),
        path(settings, "ldap.login-shell", problems),
        integer(settings, "ldap.pool-size", 1, 200, problems),
        Duration.ofSeconds(integer(settings, "ldap.timeout-seconds", 1, 600, problems)));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.equals("::1")
        || host.equals("[::1]")
        || host.startsWith("127.");
  }

  private static SignupSettings signup(
      ConfigSource settings,
      LifecycleSettings lifecycle,
      @Nullable Duration listUpdatePeriod,
      List<String> problems) {
    String pattern = settings.get("signup.username-pattern").value();
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      problems.add(
          describe(settings, "signup.username-pattern")
              + ": expected a Java regular expression, found '"
              + pattern
              + "' ("
              + e.getDescription()
              + ")");
    }
    return new SignupSettings(
        url(settings, "signup.join-url", problems),
        Duration.ofHours(integer(settings, "signup.token-lifetime-hours", 1, 24 * 30, problems)),
        pattern,
        java.util.stream.Stream.of(lifecycle.admins(), lifecycle.committee(), lifecycle.lifetime())
            .flatMap(Set::stream)
            .collect(java.util.stream.Collectors.toUnmodifiableSet()),
        new WhatNext(
            host(settings, "society.login-host", problems),
            url(settings, "society.services-url", problems).toString()),
        listUpdatePeriod);
  }

  /** A host name such as skynet.ie, as members type it after {@code ssh user@}. */
  private static String host(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value().strip();
    if (!text.matches(
        "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
      problems.add(
          describe(settings, key)
              + ": expected a host name such as skynet.ie, found '"
              + text
              + "'");
    }
    return text;
  }

  /** A time zone by its region name, such as Europe/Dublin. */
  private static ZoneId zone(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value().strip();
    try {
      return ZoneId.of(text);
    } catch (java.time.DateTimeException e) {
      problems.add(
          describe(settings, key)
              + ": expected a time zone such as Europe/Dublin, found '"
              + text
              + "'");
      return ZoneId.of("UTC");
    }
  }

  private static LifecycleSettings lifecycle(ConfigSource settings, List<String> problems) {
    String shell = settings.get("lifecycle.disabled-shell").value().strip();
    if (!shell.startsWith("/") || shell.chars().anyMatch(c -> c <= ' ')) {
      problems.add(
          describe(settings, "lifecycle.disabled-shell")
              + ": expected an absolute path such as /usr/sbin/nologin, found '"
              + shell
              + "'");
    }
    return new LifecycleSettings(
        usernames(settings, "lifecycle.admins", problems),
        usernames(settings, "lifecycle.committee", problems),
        usernames(settings, "lifecycle.lifetime", problems),
        usernames(settings, "lifecycle.banned", problems),
        integer(settings, "lifecycle.grace-days", 0, 3650, problems),
        shell,
        share(settings, "lifecycle.max-deactivate-share", problems),
        Duration.ofHours(integer(settings, "lifecycle.sync-hours", 1, 24 * 7, problems)));
  }

  /** A share between 0 and 1, such as 0.10. */
  private static double share(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    double share = Double.NaN;
    try {
      share = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      // reported below with the range
    }
    if (!(share >= 0 && share <= 1)) {
      problems.add(
          describe(settings, key)
              + ": expected a share between 0 and 1 such as 0.10, found '"
              + text
              + "'");
    }
    return share;
  }

  /** A list of usernames, separated by commas; empty for none. */
  private static Set<String> usernames(ConfigSource settings, String key, List<String> problems) {
    Set<String> names = new LinkedHashSet<>();
    String text = settings.get(key).value();
    int position = 1;
    for (String part : text.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty() && text.isBlank()) {
        break;
      }
      if (AccountService.canonicalUsername(name).filter(name::equals).isEmpty()) {
        problems.add(
            describe(settings, key)
                + ": expected usernames separated by commas, such as aoife,brian (lowercase"
                + " letters, digits, '.', '_' and '-'), found '"
                + name
                + "' as name "
                + position);
      } else {
        names.add(name);
      }
      position++;
    }
    return Set.copyOf(names);
  }

  private static URI url(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    problems.add(
        describe(settings, key)
            + ": expected an http:// or https:// URL such as https://accounts.skynet.ie, found '"
            + text
            + "'");
    return URI.create("http://invalid");
  }

  /** A DN, or empty for none. */
  private static String optionalDn(ConfigSource settings, String key, List<String> problems) {
    return settings.get(key).value().isBlank() ? "" : dn(settings, key, problems);
  }

  private static String dn(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    try {
      if (!new DN(text).isNullDN()) {
        return text;
      }
    } catch (LDAPException e) {
      // reported below
    }
    problems.add(
        describe(settings, key)
            + ": expected an LDAP DN such as ou=users,dc=skynet,dc=ie, found '"
            + text
            + "'");
    return text;
  }

  private static String attribute(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    if (!text.matches("[A-Za-z][A-Za-z0-9-]*")) {
      problems.add(
          describe(settings, key)
              + ": expected an LDAP attribute name such as employeeNumber, found '"
              + text
              + "'");
    }
    return text;
  }

  private static String path(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    if (!text.startsWith("/")) {
      problems.add(
          describe(settings, key)
              + ": expected an absolute path such as /home, found '"
              + text
              + "'");
    }
    return text;
  }

  private static boolean bool(ConfigSource settings, String key, List<String> problems) {
    String text = settings.get(key).value();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    problems.add(describe(settings, key) + ": expected true or false, found '" + text + "'");
    return false;
  }

  private static SmtpSettings smtp(ConfigSource settings, List<String> problems) {
    String host = settings.get("smtp.host").value();
    if (host.isEmpty()) {
      problems.add(describe(settings, "smtp.host") + ": expected the mail server's host name");
    }
    int port = integer(settings, "smtp.port", 1, 65_535, problems);
    int timeout = integer(settings, "smtp.timeout-seconds", 1, 600, problems);
    String securityText = settings.get("smtp.security").value();
    SmtpSettings.Security security = SmtpSettings.Security.NONE;
    try {
      security = SmtpSettings.Security.valueOf(securityText.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(
          describe(settings, "smtp.security")
              + ": expected starttls, smtps or none, found '"
              + securityText
              + "'");
    }
    String username = settings.get("smtp.username").value();
    String password = settings.get("smtp.password").value();
    if (username.isEmpty() != password.isEmpty()) {
      problems.add(
          describe(settings, username.isEmpty() ? "smtp.password" : "smtp.username")
              + ": expected smtp.username and smtp.password together, or neither");
    }
    String from = settings.get("smtp.from").value();
    try {
      new jakarta.mail.internet.InternetAddress(from, true).validate();
    } catch (jakarta.mail.internet.AddressException e) {
      problems.add(
          describe(settings, "smtp.from")
              + ": expected an address such as Skynet Accounts <accounts@skynet.ie>, found '"
              + from
              + "'");
    }
    return new SmtpSettings(
        host,
        port,
        security,
        username.isEmpty() ? null : username,
        password.isEmpty() ? null : password,
        from,
        java.time.Duration.ofSeconds(timeout),
        integer(settings, "smtp.connections", 1, 32, problems));
  }

  private static int integer(
      ConfigSource settings, String key, int min, int max, List<String> problems) {
    String text = settings.get(key).value();
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(
        describe(settings, key)
            + ": expected a whole number from "
            + min
            + " to "
            + max
            + ", found '"
            + text
            + "'");
    return min;
  }

  private static String column(ConfigSource settings, String key, List<String> problems) {
    String value = settings.get(key).value();
    if (value.isEmpty()) {
      problems.add(
          describe(settings, key) + ": expected the header name of a CSV column, found nothing");
    }
    return value;
  }

  private static String describe(ConfigSource settings, String key) {
    return settings.get(key).origin() + ": " + key;
  }
}
