package ie.skynet.accounts.membership;

import static ie.skynet.accounts.db.TestDatabases.members;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.app.Cli;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in the hostile corpus is a regression test: importing it over a database of members
 * exits 1, reports exactly the rejects in the {@code .expected} file beside it (line, column,
 * reason), and leaves every member row as it was.
 */
class HostileCorpusIT {
  @TempDir Path dir;

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(Imports.HOSTILE)) {
      return files.filter(f -> f.toString().endsWith(".csv")).sorted().toList().stream();
    }
  }

  @Test
  void corpusHasAtLeastTwentyFiveFilesEachWithItsExpectations() throws IOException {
    List<Path> files = corpus().toList();
    assertThat(files).hasSizeGreaterThanOrEqualTo(25);
    for (Path file : files) {
      assertThat(expectedFor(file)).as(file + " has a .expected file").exists();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void rejectedWithItsPositionAndNothingWritten(Path file) throws IOException {
    Map<String, String> env = Map.of("ACCOUNTS_DATABASE_URL", TestDatabases.in(dir).url());
    assertThat(Cli.run(env, "import-csv", Imports.SAMPLE.toString()).exit()).isZero();
    Database database = new Database(TestDatabases.in(dir));
    List<String> before = members(database);

    Cli.Result result = Cli.run(env, "import-csv", file.toString());

    assertThat(result.exit()).as(result.all()).isEqualTo(1);
    List<String> reported =
        result.out().lines().map(String::strip).filter(l -> l.startsWith("line ")).toList();
    List<String> expected = Files.readAllLines(expectedFor(file), StandardCharsets.UTF_8);
    assertThat(reported).isNotEmpty().containsExactlyElementsOf(expected);
    assertThat(members(database)).isEqualTo(before);
    assertThat(rows(database, "SELECT status FROM import_runs ORDER BY id DESC LIMIT 1"))
        .containsExactly("rejected");
    assertThat(
            rows(
                database,
                "SELECT count(*) FROM import_rejects WHERE run_id = (SELECT max(id) FROM import_runs)"))
        .containsExactly(String.valueOf(expected.size()));
  }

  private static Path expectedFor(Path csv) {
    String name = csv.getFileName().toString();
    return csv.resolveSibling(name.substring(0, name.length() - 4) + ".expected");
  }
}
