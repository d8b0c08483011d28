package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The systemd units in {@code deploy/} keep their hardening and run only commands the CLI has, so a
 * renamed command or a dropped directive fails the build instead of the next install.
 */
class DeployUnitsTest {
  private static final Path SERVICE = Path.of("deploy/skynet-accounts.service");
  private static final Path BACKUP = Path.of("deploy/skynet-accounts-backup.service");

  private static final List<String> HARDENING =
      List.of(
          "NoNewPrivileges=yes",
          "CapabilityBoundingSet=",
          "ProtectSystem=strict",
          "ProtectHome=yes",
          "PrivateTmp=yes",
          "PrivateDevices=yes",
          "ProtectKernelTunables=yes",
          "ProtectKernelModules=yes",
          "ProtectKernelLogs=yes",
          "ProtectControlGroups=yes",
          "SystemCallFilter=@system-service",
          "User=skynet-accounts");

  @Test
  void theServiceIsHardenedAndRestartsOnFailure() throws IOException {
    List<String> lines = directives(SERVICE);
    assertThat(lines)
        .containsAll(HARDENING)
        .contains(
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "StateDirectory=skynet-accounts",
            "Restart=on-failure")
        .anyMatch(line -> line.startsWith("TimeoutStopSec="))
        .anyMatch(line -> line.startsWith("LoadCredential=ldap-bind-password:"));
    assertThat(lines)
        .contains("Environment=ACCOUNTS_LDAP_BIND_PASSWORD_FILE=%d/ldap-bind-password");
  }

  @Test
  void theBackupServiceIsHardenedToo() throws IOException {
    assertThat(directives(BACKUP)).containsAll(HARDENING);
  }

  @Test
  void noUnitDeniesTheJitWritableExecutableMemory() throws IOException {
    for (Path unit : units()) {
      assertThat(directives(unit))
          .as(unit + ": the JVM cannot start under MemoryDenyWriteExecute")
          .noneMatch(line -> line.startsWith("MemoryDenyWriteExecute="));
    }
  }

  @Test
  void theServiceMigratesThenServes() throws IOException {
    List<String> lines = directives(SERVICE);
    assertThat(subcommands(lines, "ExecStartPre=")).containsExactly("migrate");
    assertThat(subcommands(lines, "ExecStart=")).containsExactly("serve");
    assertThat(subcommands(directives(BACKUP), "ExecStart=")).containsExactly("backup");
  }

  @Test
  void everyCommandAUnitRunsExistsInTheCli() throws IOException {
    Set<String> commands =
        AccountsCommand.commandLine(new NoServices(), null).getSubcommands().keySet();
    List<String> used = new ArrayList<>();
    for (Path unit : units()) {
      for (String line : directives(unit)) {
        String subcommand = subcommand(line);
        if (subcommand != null) {
          used.add(subcommand);
          assertThat(commands).as(unit + ": " + line).contains(subcommand);
        }
      }
    }
    assertThat(used).contains("serve", "migrate", "backup");
  }

  @Test
  void theExampleConfigurationUsesOnlyDocumentedKeys() throws IOException {
    Set<String> documented = keys(Path.of("accounts.example.conf"));
    Set<String> used = keys(Path.of("deploy/accounts.conf.example"));
    assertThat(used).isNotEmpty();
    assertThat(documented).containsAll(used);
  }

  private static Set<String> keys(Path file) throws IOException {
    return directives(file).stream()
        .map(line -> line.substring(0, line.indexOf('=')).strip())
        .collect(java.util.stream.Collectors.toSet());
  }

  private static List<Path> units() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("deploy"))) {
      return files
          .filter(f -> f.toString().endsWith(".service") || f.toString().endsWith(".timer"))
          .sorted()
          .toList();
    }
  }

  /** The unit's lines without comments and blank lines. */
  private static List<String> directives(Path unit) throws IOException {
    return Files.readAllLines(unit).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith(";"))
        .toList();
  }

  private static List<String> subcommands(List<String> lines, String directive) {
    return lines.stream()
        .filter(line -> line.startsWith(directive))
        .map(DeployUnitsTest::subcommand)
        .toList();
  }

  /**
   * The {@code accounts} subcommand a command line runs: the first word after {@code -jar
   * .../accounts.jar} that is not an option or the value of {@code --config}.
   */
  private static @Nullable String subcommand(String line) {
    List<String> words = List.of(line.replace("'", " ").replace("\"", " ").strip().split("\\s+"));
    int jar = words.indexOf("-jar");
    if (jar < 0 || jar + 1 >= words.size() || !words.get(jar + 1).endsWith("accounts.jar")) {
      return null;
    }
    for (int i = jar + 2; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--config")) {
        i++; // its value
      } else if (!word.startsWith("-")) {
        return word;
      }
    }
    return null;
  }

  /** The commands are only listed, never run. */
}
