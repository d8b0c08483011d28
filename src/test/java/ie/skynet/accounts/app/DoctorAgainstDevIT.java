package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.RefusingPort;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise: with {@code accounts dev} running, {@code accounts doctor} pointed at it
 * with the configuration dev writes passes every check; with LDAP pointed at a closed port it says
 * the connection failed, and exits 1.
 */
class DoctorAgainstDevIT {
  @TempDir Path data;

  @Test
  void doctorPassesAgainstDevAndNamesAConnectionFailure() throws Exception {
    try (Running running = MembersOfToday.startDev(data)) {
      Path config =
          java.util.Objects.requireNonNull(running.dev()).writeCheckConfig(running.port());
      running.jobs().runDue(); // as serve's schedule does a minute after it starts: a first sync

      Cli.Result passing = Cli.run(Map.of(), "doctor", "--config", config.toString());
      assertThat(passing.exit()).as(passing.all()).isZero();
      assertThat(passing.out().lines().filter(l -> !l.startsWith("all ")))
          .allSatisfy(line -> assertThat(line).matches("[✔-] .*"));
      assertThat(passing.out()).contains("✔ ldap bind").contains("✔ smtp session");

      try (RefusingPort closed = new RefusingPort()) {
        Cli.Result failing =
            Cli.run(
                Map.of("ACCOUNTS_LDAP_PORT", Integer.toString(closed.port())),
                "doctor",
                "--config",
                config.toString());
        assertThat(failing.exit()).as(failing.all()).isEqualTo(1);
        assertThat(failing.out())
            .contains("✘ ldap tcp")
            .contains("connection failure: 127.0.0.1:" + closed.port() + " refused the connection")
            .contains("✔ smtp session")
            .contains("1 of ");
      }

      Cli.Result json = Cli.run(Map.of(), "doctor", "--json", "--config", config.toString());
      assertThat(json.exit()).isZero();
      assertThat(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(json.out())
                  .get(0)
                  .get("status")
                  .asText())
          .isEqualTo("ok");
    }
  }
}
