package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ie.skynet.accounts.cli.ConfigException;
import ie.skynet.accounts.lifecycle.RetentionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults and the environment alone are read with {@code withoutFile}: {@code load(null, ...)}
 * would read an {@code accounts.conf} left in the working folder, and the test with it.
 */
class ConfigLoaderTest {
  @TempDir Path dir;

  private Path conf(String text) throws IOException {
    return Files.writeString(dir.resolve("accounts.conf"), text);
  }

  @Test
  void defaultsMatchTheWolvesExport() {
    AppConfig config = ConfigLoader.withoutFile(Map.of());
    assertThat(config.database().url()).isEqualTo("jdbc:sqlite:data/accounts.db");
    assertThat(config.imports().columns().email()).isEqualTo("Contact Email");
    assertThat(config.imports().dateFormat()).isNull();
    assertThat(config.imports().expiryGuardShare()).isEqualTo(0.10);
  }

  @Test
  void environmentOverridesTheFileWhichOverridesDefaults() throws IOException {
    Path file = conf("database.url=jdbc:sqlite:from-file.db\nimport.date-format=dd/MM/yyyy\n");
    AppConfig config =
        ConfigLoader.load(
            file, Map.of("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:from-env.db", "PATH", "/bin"));
    assertThat(config.database().url()).isEqualTo("jdbc:sqlite:from-env.db");
    assertThat(config.imports().dateFormat()).isEqualTo("dd/MM/yyyy");
  }

  @Test
  void anyKeyCanComeFromAFileWithoutItsFinalNewline() throws IOException {
    Path secret = Files.writeString(dir.resolve("url"), "jdbc:sqlite:secret.db\n");
    Path file =
        conf("import.column.id-file=" + Files.writeString(dir.resolve("id"), "Wolves ID\n") + "\n");
    AppConfig config =
        ConfigLoader.load(file, Map.of("ACCOUNTS_DATABASE_URL_FILE", secret.toString()));
    assertThat(config.database().url()).isEqualTo("jdbc:sqlite:secret.db");
    assertThat(config.imports().columns().id()).isEqualTo("Wolves ID");
  }

  @Test
  void everyProblemIsReportedAtOnceWithWhereItCameFrom() throws IOException {
    Path file =
        conf(
            "database.url=jdbc:postgresql://db/accounts\n"
                + "log.level=loud\n"
                + "import.expiry-guard=1.5\n"
                + "import.date-format=dd/MM/yyyy{\n"
                + "import.column.email=Member ID\n"
                + "databse.url=typo\n"
                + "import.column.expiry-file=/no/such/file\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of("ACCOUNTS_COLOUR", "blue")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(8)
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains(
                                    "log.level: expected one of ERROR, WARN, INFO, DEBUG, TRACE, found 'loud'"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .startsWith(file + ": database.url: expected a SQLite JDBC URL"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains(
                                    "import.expiry-guard: expected a share between 0 and 1",
                                    "'1.5'"))
                    .anySatisfy(
                        p -> assertThat(p).contains("import.date-format: expected a date pattern"))
                    .anySatisfy(p -> assertThat(p).contains("column 'member id' is already used"))
                    .anySatisfy(p -> assertThat(p).contains("unknown key 'databse.url'"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("import.column.expiry-file: cannot read /no/such/file"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("environment ACCOUNTS_COLOUR: not a configuration key")));
  }

  @Test
  void lifecycleListsAreUsernamesAndEachMistakeIsNamedWithItsPlace() throws IOException {
    AppConfig config =
        ConfigLoader.load(
            conf("lifecycle.admins=root-admin, committee\nlifecycle.grace-days=14\n"), Map.of());
    assertThat(config.lifecycle().admins()).containsExactlyInAnyOrder("root-admin", "committee");
    assertThat(config.lifecycle().lifetime()).isEmpty();
    assertThat(config.lifecycle().graceDays()).isEqualTo(14);
    assertThat(config.lifecycle().disabledShell()).isEqualTo("/usr/sbin/nologin");
    assertThat(config.lifecycle().maxDeactivateShare()).isEqualTo(0.10);

    Path file =
        conf(
            "lifecycle.lifetime=aoife,,Brian\n"
                + "lifecycle.disabled-shell=nologin\n"
                + "lifecycle.max-deactivate-share=10%\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        file
                            + ": lifecycle.lifetime: expected usernames separated by commas, such"
                            + " as aoife,brian (lowercase letters, digits, '.', '_' and '-'),"
                            + " found '' as name 2",
                        file
                            + ": lifecycle.lifetime: expected usernames separated by commas, such"
                            + " as aoife,brian (lowercase letters, digits, '.', '_' and '-'),"
                            + " found 'Brian' as name 3",
                        file
                            + ": lifecycle.disabled-shell: expected an absolute path such as"
                            + " /usr/sbin/nologin, found 'nologin'",
                        file
                            + ": lifecycle.max-deactivate-share: expected a share between 0 and 1"
                            + " such as 0.10, found '10%'"));
  }

  @Test
  void retentionLimitsHaveDefaultsAndMustBePositiveWholeNumbers() throws IOException {
    assertThat(ConfigLoader.withoutFile(Map.of()).retention())
        .isEqualTo(new RetentionSettings(13, 400, 30, 90));
    AppConfig config =
        ConfigLoader.load(
            conf("retention.unlinked-member-months=24\nretention.audit-days=730\n"),
            Map.of("ACCOUNTS_RETENTION_SENT_MAIL_DAYS", "7"));
    assertThat(config.retention()).isEqualTo(new RetentionSettings(24, 730, 7, 90));

    Path file =
        conf(
            "retention.unlinked-member-months=0\n"
                + "retention.audit-days=-1\n"
                + "retention.sent-mail-days=thirty\n"
                + "retention.failed-mail-days=1.5\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        file
                            + ": retention.unlinked-member-months: expected a whole number from 1"
                            + " to 1200, found '0'",
                        file
                            + ": retention.audit-days: expected a whole number from 1 to 36500,"
                            + " found '-1'",
                        file
                            + ": retention.sent-mail-days: expected a whole number from 1 to"
                            + " 36500, found 'thirty'",
                        file
                            + ": retention.failed-mail-days: expected a whole number from 1 to"
                            + " 36500, found '1.5'"));
  }

  @Test
  void aBackslashEscapeOrAKeyGivenTwiceIsAListedProblem() throws IOException {
    Path file = conf("database.url=jdbc:sqlite:C:\\users\\a.db\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .contains("Malformed", "backslash"));
    Path twice = conf("import.column.id=ID\nimport.column.id-file=/etc/hostname\n");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    twice, Map.of("ACCOUNTS_LOG_LEVEL", "INFO", "ACCOUNTS_LOG_LEVEL_FILE", "/x")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("both import.column.id and import.column.id-file"))
                    .anySatisfy(
                        p ->
                            assertThat(p)
                                .contains("environment: both log.level and log.level-file")));
  }

  @Test
  void theWolvesApiIsOffByDefaultAndItsKeyComesFromAFileNeverPrinted() throws IOException {
    assertThat(ConfigLoader.withoutFile(Map.of()).wolves().configured()).isFalse();

    Path key = Files.writeString(dir.resolve("wolves-key"), "s3cret-key\n");
    Path file =
        conf(
            "wolves.api-url=https://wolves.example.org/api/get_members\n"
                + "wolves.api-key-file="
                + key
                + "\nwolves.page-size=0\n");
    AppConfig config = ConfigLoader.load(file, Map.of());
    assertThat(config.wolves().configured()).isTrue();
    assertThat(config.wolves().key()).isEqualTo("s3cret-key");
    assertThat(config.wolves().keySource()).contains(key.toString()).doesNotContain("s3cret");
    assertThat(config.wolves().keyHeader()).isEqualTo("X-AM-Identity");
    assertThat(config.wolves().fields().id()).isEqualTo("member_id");
    assertThat(config.wolves().pageSize()).isZero();
    assertThat(config.toString()).doesNotContain("s3cret-key");
  }

  @Test
  void theWolvesApiNeedsHttpsAKeyAndDistinctFieldsAllListedTogether() throws IOException {
    Path file =
        conf(
            "wolves.api-url=http://wolves.example.org/api\n"
                + "wolves.api-method=PUT\n"
                + "wolves.api-key-header=X AM\n"
                + "wolves.field.email=member_id\n"
                + "wolves.retries=99\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("wolves.api-url: http:// would send the API key in clear")
        .hasMessageContaining("wolves.api-key: wolves.api-url is set, so the API key is needed")
        .hasMessageContaining("wolves.api-method: expected GET or POST, found 'PUT'")
        .hasMessageContaining("wolves.api-key-header: expected an HTTP header name")
        .hasMessageContaining("wolves.field.email: field 'member_id' is already used")
        .hasMessageContaining("wolves.retries: expected a whole number from 0 to 10");

    Path loopback = conf("wolves.api-url=http://127.0.0.1:8099/api\nwolves.api-key=two words\n");
    assertThatThrownBy(() -> ConfigLoader.load(loopback, Map.of()))
        .hasMessageContaining("wolves.api-key: the key contains spaces")
        .hasMessageNotContaining("two words")
        .hasMessageNotContaining("in clear");
  }

  @Test
  void missingConfigFileIsAProblem() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.conf"), Map.of()))
        .hasMessageContaining("nope.conf: configuration file not found");
  }

  @Test
  void exampleFileDocumentsEveryKeyWithItsDefault() throws IOException {
    Properties example = new Properties();
    try (var reader = Files.newBufferedReader(Path.of("accounts.example.conf"))) {
      example.load(reader);
    }
    assertThat(example.stringPropertyNames())
        .containsExactlyInAnyOrderElementsOf(ConfigLoader.DEFAULTS.keySet());
    ConfigLoader.DEFAULTS.forEach(
        (key, value) -> assertThat(example.getProperty(key)).as(key).isEqualTo(value));
    assertThat(ConfigLoader.load(Path.of("accounts.example.conf"), Map.of()))
        .usingRecursiveComparison()
        .ignoringFields("serveProblems") // they name where the value came from
        .isEqualTo(ConfigLoader.withoutFile(Map.of()));
  }

  @Test
  void theWebServiceKeysAreCheckedAndAllProblemsListedTogether() {
    assertThatThrownBy(
            () ->
                ConfigLoader.withoutFile(
                    Map.of(
                        "ACCOUNTS_WEB_BASE_URL", "accounts.skynet.ie",
                        "ACCOUNTS_WEB_PORT", "80000",
                        "ACCOUNTS_LDAP_SECURITY", "tls",
                        "ACCOUNTS_LDAP_USERS_DN", "users",
                        "ACCOUNTS_LDAP_CA_FILE", dir.resolve("no-ca.pem").toString(),
                        "ACCOUNTS_SIGNUP_USERNAME_PATTERN", "[a-z",
                        "ACCOUNTS_WEB_TRUST_FORWARDED_FOR", "yes",
                        "ACCOUNTS_WEB_METRICS", "on")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "ACCOUNTS_WEB_BASE_URL: web.base-url: expected an http:// or https:// URL")
        .hasMessageContaining("web.port: expected a whole number from 0 to 65535, found '80000'")
        .hasMessageContaining("ldap.security: expected ldaps, starttls or none, found 'tls'")
        .hasMessageContaining("ldap.users-dn: expected an LDAP DN")
        .hasMessageContaining("ldap.ca-file: expected a readable PEM file")
        .hasMessageContaining("signup.username-pattern: expected a Java regular expression")
        .hasMessageContaining("web.trust-forwarded-for: expected true or false, found 'yes'")
        .hasMessageContaining("web.metrics: expected true or false, found 'on'");
  }

  @Test
  void metricsAreServedUnlessTurnedOff() {
    assertThat(ConfigLoader.withoutFile(Map.of()).web().metrics()).isTrue();
    assertThat(ConfigLoader.withoutFile(Map.of("ACCOUNTS_WEB_METRICS", "false")).web().metrics())
        .isFalse();
  }

  @Test
  void theLdapPasswordIsNeededOnlyToServe() {
    AppConfig config = ConfigLoader.withoutFile(Map.of());
    assertThat(config.serveProblems())
        .singleElement()
        .asString()
        .contains("ldap.bind-password: expected the password of ldap.bind-dn");
    assertThat(
            ConfigLoader.withoutFile(Map.of("ACCOUNTS_LDAP_BIND_PASSWORD", "secret"))
                .serveProblems())
        .isEmpty();
  }
}
