package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Entry;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.signup.Completion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story, from another "shell" against a running {@code accounts dev} with the
 * configuration dev writes: a member signs up; an import where their membership has lapsed, then
 * {@code sync-groups --force}, takes them out of the members group and gives them the disabled
 * shell; importing the renewal and syncing gives both back; a second sync changes nothing. Dates
 * are the machine's, as the commands' are.
 */
class SyncGroupsAgainstDevIT {
  private static final String EMAIL = "aoife.murphy@example.com";

  @TempDir Path data;

  private Path export(String expiry) throws Exception {
    return Files.writeString(
        data.resolve("export-" + expiry + ".csv"),
        "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry,Membership Type\n"
            + "W200001,24100001,Aoife,Murphy,"
            + EMAIL
            + ","
            + expiry
            + ",Student\n");
  }

  private static Entry aoife(Running running) throws Exception {
    return Objects.requireNonNull(
        running.dev().directory.getEntry("uid=aoife," + DevDirectory.USERS));
  }

  private static boolean inMembersGroup(Running running) throws Exception {
    return running
        .dev()
        .directory
        .getEntry(DevDirectory.MEMBERS)
        .hasAttributeValue("memberUid", "aoife");
  }

  @Test
  void aLapseTakesAccessAwayAndARenewalGivesItBack() throws Exception {
    try (Running running = MembersOfToday.startDev(data)) {
      String config =
          Objects.requireNonNull(running.dev()).writeCheckConfig(running.port()).toString();
      running.signup().request(EMAIL, "test");
      running.answerWaiting();
      String link = null;
      for (int i = 0; i < 400 && link == null; i++) {
        link =
            running.dev().mailbox.mails().stream()
                .filter(m -> m.to().equals(EMAIL))
                .map(m -> m.links().get(0))
                .findFirst()
                .orElse(null);
        Thread.sleep(50);
      }
      String token = Objects.requireNonNull(link).substring(link.lastIndexOf('/') + 1);
      assertThat(running.signup().complete(token, "aoife", "correct horse battery staple lime"))
          .isInstanceOf(Completion.Created.class);
      assertThat(inMembersGroup(running)).isTrue();

      LocalDate today = LocalDate.now(Clock.systemUTC());
      Cli.Result lapse =
          Cli.run(
              Map.of(),
              "import-csv",
              "--config",
              config,
              "--force",
              export(today.minusDays(30).toString()).toString());
      assertThat(lapse.exit()).as(lapse.all()).isZero();

      Cli.Result unforced = Cli.run(Map.of(), "sync-groups", "--config", config);
      assertThat(unforced.exit()).as(unforced.all()).isEqualTo(1);
      assertThat(unforced.out()).contains("refused, nothing changed").contains("--force");
      assertThat(inMembersGroup(running)).isTrue();

      Cli.Result dry = Cli.run(Map.of(), "sync-groups", "--config", config, "--force", "--dry-run");
      assertThat(dry.exit()).as(dry.all()).isZero();
      assertThat(dry.out()).contains("- members group: aoife").contains("dry run, nothing changed");
      assertThat(inMembersGroup(running)).isTrue();

      Cli.Result removed = Cli.run(Map.of(), "sync-groups", "--config", config, "--force");
      assertThat(removed.exit()).as(removed.all()).isZero();
      assertThat(removed.out())
          .contains("- members group: aoife")
          .contains("shell of aoife: /bin/bash -> /usr/sbin/nologin")
          .contains("status of aoife: active -> expired");
      assertThat(inMembersGroup(running)).isFalse();
      assertThat(aoife(running).getAttributeValue("loginShell")).isEqualTo("/usr/sbin/nologin");

      Cli.Result renewal =
          Cli.run(
              Map.of(),
              "import-csv",
              "--config",
              config,
              export(today.plusDays(300).toString()).toString());
      assertThat(renewal.exit()).as(renewal.all()).isZero();
      Cli.Result restored = Cli.run(Map.of(), "sync-groups", "--config", config);
      assertThat(restored.exit()).as(restored.all()).isZero();
      assertThat(restored.out())
          .contains("+ members group: aoife")
          .contains("shell of aoife: /usr/sbin/nologin -> /bin/bash");
      assertThat(inMembersGroup(running)).isTrue();
      assertThat(aoife(running).getAttributeValue("loginShell")).isEqualTo("/bin/bash");

      Cli.Result second = Cli.run(Map.of(), "sync-groups", "--config", config, "--json");
      assertThat(second.exit()).as(second.all()).isZero();
      JsonNode json = new ObjectMapper().readTree(second.out());
      assertThat(json.get("status").asText()).isEqualTo("applied");
      assertThat(json.get("changes").asInt()).isZero();

      // doctor shows the last sync, though it was run by hand and not by serve's schedule
      Cli.Result doctor = Cli.run(Map.of(), "doctor", "--config", config);
      assertThat(doctor.out()).containsPattern("✔ last sync +done, 0 joined, 0 left");
    }
  }
}
