package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accounts preflight} against the dev stack: every step passes and nothing is left behind; a
 * step failing half-way is named and still leaves nothing behind.
 */
class PreflightIT {
  private static final String TABLES =
      "SELECT (SELECT count(*) FROM accounts) || ' ' || (SELECT count(*) FROM accounts_wolves)"
          + " || ' ' || (SELECT count(*) FROM links) || ' ' || (SELECT count(*) FROM"
          + " mail_outbox)";

  @TempDir Path data;

  private App app() throws Exception {
    App app =
        App.dev(
            new DevOptions(0, 0, 0, data, MembersOfToday.write(data.resolve("members.csv"))),
            Map.of(),
            Clock.systemUTC(),
            Cli.ROOMY);
    app.database().migrate();
    app.serving().loadDevMembers();
    return app;
  }

  private Database database() {
    return new Database(TestDatabases.in(data));
  }

  @Test
  void aRehearsalGoesThroughEveryStepAndLeavesNoTrace() throws Exception {
    App app = app();
    try (Running running = app.start()) {
      List<String> before = TestDatabases.rows(database(), TABLES);
      int entries = running.dev().directory.countEntries();
      StringWriter out = new StringWriter();
      // The operator pastes the link from the mail, as the mail catcher shows it.
      var mailbox = running.dev().mailbox;
      boolean passed =
          app.preflight()
              .run(
                  "someone@example.com",
                  new PastedLink(mailbox, "someone@example.com"),
                  new PrintWriter(out, true));
      assertThat(passed).as(out.toString()).isTrue();
      assertThat(out.toString())
          .contains("✔ 1 doctor")
          .contains("✔ 3 verification mail: accepted by the mail server for someone@example.com")
          .contains("✔ 4 the link: the mail arrived with its link intact")
          .contains("✔ 6 bind")
          .contains("✔ cleanup")
          .contains("preflight passed");
      assertThat(TestDatabases.rows(database(), TABLES)).isEqualTo(before);
      assertThat(running.dev().directory.countEntries()).isEqualTo(entries);
      assertThat(
              running
                  .dev()
                  .directory
                  .getEntry(DevDirectory.MEMBERS)
                  .getAttributeValues("memberUid"))
          .isNull();
    }
  }

  @Test
  void whatAKilledRehearsalLeftIsSweptAwayByTheNext() throws Exception {
    App app = app();
    try (Running running = app.start()) {
      List<String> before = TestDatabases.rows(database(), TABLES);
      TestDatabases.execute(
          database(),
          "INSERT INTO accounts_wolves VALUES ('PREFLIGHT-0badf00d', NULL, 'someone@example.com',"
              + " '"
              + java.time.LocalDate.now(Clock.systemUTC()).plusDays(1) // as a rehearsal dates it
              + "', 'Preflight', 'Rehearsal')");
      StringWriter out = new StringWriter();
      assertThat(app.preflight().run("someone@example.com", null, new PrintWriter(out, true)))
          .as(out.toString())
          .isTrue();
      assertThat(out.toString())
          .contains("removed 1 membership(s) and 0 account(s) an interrupted rehearsal left")
          .contains("✔ 4 the link: not waiting");
      assertThat(TestDatabases.rows(database(), TABLES)).isEqualTo(before);
    }
  }

  @Test
  void aStepFailingHalfWayIsNamedAndNothingIsLeftBehind() throws Exception {
    App app = app();
    try (Running running = app.start()) {
      List<String> before = TestDatabases.rows(database(), TABLES);
      int entries = running.dev().directory.countEntries();
      // The members group vanishes after doctor looked: the account cannot be made whole.
      var directory = running.dev().directory;
      var group = directory.getEntry(DevDirectory.MEMBERS);
      StringWriter out = new StringWriter();
      boolean passed =
          app.preflight()
              .run(
                  "someone@example.com",
                  new BufferedReader(new StringReader("")) {
                    @Override
                    public String readLine() {
                      try {
                        directory.delete(DevDirectory.MEMBERS);
                      } catch (com.unboundid.ldap.sdk.LDAPException e) {
                        throw new IllegalStateException(e);
                      }
                      return running.dev().mailbox.mails().get(0).links().get(0);
                    }
                  },
                  new PrintWriter(out, true));
      assertThat(passed).isFalse();
      assertThat(out.toString())
          .contains("✔ 4 the link")
          .contains("✘ 5 account failed")
          .contains("✔ cleanup")
          .contains("preflight FAILED")
          .doesNotContain("6 bind");
      assertThat(TestDatabases.rows(database(), TABLES)).isEqualTo(before);
      assertThat(directory.countEntries()).isEqualTo(entries - 1); // the group, deleted above
      directory.add(group);
    }
  }
}
