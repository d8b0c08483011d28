package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.ListeningPorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code accounts dev} fails: with a message that says what to do, and nothing left running.
 */
class DevCommandIT {
  @TempDir Path dir;

  /** What this JVM listened on before the test: dev failing must leave nothing more. */
  private Set<Integer> listeningBefore = Set.of();

  @BeforeEach
  void noteListeningPorts() throws Exception {
    listeningBefore = ListeningPorts.ofThisProcess();
  }

  /** Everything dev started is stopped again: no port it took is still listening. */
  private void assertNothingLeftListening() throws Exception {
    assertThat(ListeningPorts.ofThisProcess()).isSubsetOf(listeningBefore);
  }

  /** Runs dev with these flags, and free ports for those they do not name. */
  private Cli.Result dev(String... flags) {
    List<String> args = new ArrayList<>(List.of("dev"));
    for (String port : List.of("--port", "--ldap-port", "--smtp-port")) {
      if (!List.of(flags).contains(port)) {
        args.addAll(List.of(port, "0"));
      }
    }
    args.addAll(List.of(flags));
    return Cli.run(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void devTakesNoConfigurationFile() {
    Cli.Result result =
        Cli.run(
            Map.of(), "--config", dir.resolve("accounts.conf").toString(), "dev", "--port", "0");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("dev reads no configuration file");
  }

  @Test
  void aMissingMembersFileIsAUsageError() throws Exception {
    Cli.Result result =
        dev("--data", dir.toString(), "--members", dir.resolve("nope.csv").toString());
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("--members: expected a Wolves CSV export");
    assertNothingLeftListening();
  }

  @Test
  void aPortInUseIsNamedWithTheFlagThatMovesIt() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listeningBefore = ListeningPorts.ofThisProcess(); // the busy port is the test's own
      Cli.Result result =
          dev("--data", dir.toString(), "--ldap-port", Integer.toString(busy.getLocalPort()));
      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err())
          .contains("cannot start the dev LDAP server on 127.0.0.1:" + busy.getLocalPort())
          .contains("--ldap-port")
          .doesNotContain("\tat ");
      assertNothingLeftListening();
    }
  }

  @Test
  void anExportWithBadRowsStopsDevAndSaysWhy() throws Exception {
    Path members = dir.resolve("members.csv");
    Files.writeString(
        members,
        "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry\n"
            + "W1,,A,B,a@example.com,31/08/2027\n");
    Cli.Result result =
        dev("--data", dir.resolve("data").toString(), "--members", members.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("loading the members from").contains("line 2");
    // The directory and the mail catcher were listening when the members failed to load; both
    // are stopped, the directory saved first as dev's orderly shutdown does.
    assertNothingLeftListening();
    assertThat(dir.resolve("data/directory.ldif")).exists();
  }
}
