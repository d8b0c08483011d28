package ie.skynet.accounts.app;

import ie.skynet.accounts.db.DatabaseSettings;
import ie.skynet.accounts.membership.CsvColumns;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.outbox.SmtpSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    d.put("smtp.host", "localhost");
    d.put("smtp.port", "25");
    d.put("smtp.security", "none");
    d.put("smtp.username", "");
    d.put("smtp.password", "");
    d.put("smtp.from", "Skynet Accounts <accounts@skynet.ie>");
    d.put("smtp.timeout-seconds", "10");
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

    double guard = Double.NaN;
    String guardText = settings.get("import.expiry-guard").value();
    try {
      guard = Double.parseDouble(guardText);
    } catch (NumberFormatException e) {
      // reported below with the range
    }
    if (!(guard >= 0 && guard <= 1)) {
      problems.add(
          describe(settings, "import.expiry-guard")
              + ": expected a share between 0 and 1 such as 0.10, found '"
              + guardText
              + "'");
    }

    String logLevel = settings.get("log.level").value().toUpperCase(java.util.Locale.ROOT);
    if (!List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE").contains(logLevel)) {
      problems.add(
          describe(settings, "log.level")
              + ": expected one of ERROR, WARN, INFO, DEBUG, TRACE, found '"
              + settings.get("log.level").value()
              + "'");
    }

    SmtpSettings smtp = smtp(settings, problems);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AppConfig(
        logLevel,
        new DatabaseSettings(url),
        new ImportSettings(columns, dateFormat.isEmpty() ? null : dateFormat, guard),
        smtp);
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
        java.time.Duration.ofSeconds(timeout));
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
