package ie.skynet.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has one owning class, and no other class writes SQL on it: coupling hidden in SQL
 * strings is invisible to the compiler and to ArchUnit, so this reads the sources. A statement
 * names its table after FROM, JOIN, INTO, UPDATE or TABLE; the adjacent literals of a concatenation
 * are read as one.
 */
class TableOwnersTest {
  private static final Path SOURCES = Path.of("src/main/java/ie/skynet/accounts");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

  /** Table → the file of its owning class; docs/architecture.md lists the same. */
  static final Map<String, String> OWNERS =
      Map.ofEntries(
          Map.entry("accounts_wolves", "membership/Memberships.java"),
          Map.entry("accounts", "membership/Memberships.java"),
          Map.entry("import_runs", "membership/ImportRunLog.java"),
          Map.entry("import_rejects", "membership/ImportRunLog.java"),
          Map.entry("asks", "asks/AskQueue.java"),
          Map.entry("links", "links/Links.java"),
          Map.entry("ssh_challenges", "account/SshChallenges.java"),
          Map.entry("sessions", "account/Sessions.java"),
          Map.entry("mail_outbox", "outbox/Outbox.java"),
          Map.entry("audit_log", "db/AuditLog.java"),
          Map.entry("secrets", "db/Database.java"),
          Map.entry("job_runs", "db/JobLeases.java"),
          Map.entry("event_mode", "event/EventMode.java"),
          Map.entry("accounts_wolves_adoption_conflicts", "db/V1__AdoptAccountsWolves.java"));

  /** Where the schema itself is made: migrations create and change every table. */
  private static final Set<String> SCHEMA = Set.of("db/V1__AdoptAccountsWolves.java");

  private static final Pattern STRING_LITERALS =
      Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
  private static final Pattern CONCATENATION = Pattern.compile("\"\\s*\\+\\s*\"");
  private static final Pattern TABLE_AFTER_KEYWORD =
      Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE(?: IF NOT EXISTS)?)\\s+([a-z_]+)\\b");

  @Test
  void onlyTheOwnerWritesSqlOnItsTable() throws IOException {
    Map<String, Set<String>> strangers = new TreeMap<>();
    for (Path file : javaSources()) {
      String name = SOURCES.relativize(file).toString();
      for (String table : tablesNamedIn(Files.readString(file))) {
        String owner = OWNERS.get(table);
        if (owner != null && !owner.equals(name) && !SCHEMA.contains(name)) {
          strangers.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(name);
        }
      }
    }
    assertThat(strangers).as("SQL on a table outside its owner, by table").isEmpty();
  }

  @Test
  void everyTableTheMigrationsLeaveHasAnOwnerAndNoOwnerIsOfAGoneTable() throws IOException {
    Set<String> tables =
        new LinkedHashSet<>(List.of("accounts_wolves", "accounts_wolves_adoption_conflicts"));
    List<Path> migrations;
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      migrations =
          files
              .sorted(
                  (a, b) ->
                      Integer.compare(
                          version(a.getFileName().toString()), version(b.getFileName().toString())))
              .toList();
    }
    Pattern create = Pattern.compile("CREATE TABLE ([a-z_]+)");
    Pattern drop = Pattern.compile("DROP TABLE ([a-z_]+)");
    for (Path migration : migrations) {
      String sql = Files.readString(migration);
      create.matcher(sql).results().forEach(m -> tables.add(m.group(1)));
      drop.matcher(sql).results().forEach(m -> tables.remove(m.group(1)));
    }
    assertThat(OWNERS.keySet()).containsExactlyInAnyOrderElementsOf(tables);
    for (String owner : OWNERS.values()) {
      assertThat(SOURCES.resolve(owner)).as("owner " + owner).isRegularFile();
    }
  }

  @Test
  void theScanFindsTablesInJoinedLiteralsAndTextBlocks() {
    String source =
        "String a = \"SELECT x FROM\" + \" accounts WHERE y\";\n"
            + "String b = \"\"\"\n  UPDATE mail_outbox SET x = 1\"\"\";\n"
            + "String c = \"Skynet accounts\";";
    assertThat(tablesNamedIn(source)).containsExactlyInAnyOrder("accounts", "mail_outbox");
  }

  private static int version(String file) {
    Matcher m = Pattern.compile("^V(\\d+)__").matcher(file);
    return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  private static List<Path> javaSources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    }
  }

  static Set<String> tablesNamedIn(String source) {
    // Adjacent literals joined by + are one statement: "... FROM" + " accounts".
    String joined = CONCATENATION.matcher(source).replaceAll("");
    Set<String> tables = new LinkedHashSet<>();
    Matcher literal = STRING_LITERALS.matcher(joined);
    List<String> texts = new ArrayList<>();
    while (literal.find()) {
      texts.add(literal.group(1) != null ? literal.group(1) : literal.group(2));
    }
    for (String text : texts) {
      TABLE_AFTER_KEYWORD.matcher(text).results().forEach(m -> tables.add(m.group(1)));
    }
    return tables;
  }
}
