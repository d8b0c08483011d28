package ie.skynet.accounts.signup;

import static ie.skynet.accounts.db.TestDatabases.execute;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.directory.DirectoryException;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signup against a real SQLite file and a real (in-memory) LDAP server. */
class SignupServiceIT {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  private static final SignupSettings SETTINGS =
      new SignupSettings(
          URI.create("https://www.ulwolves.ie/society/skynet"),
          Duration.ofHours(24),
          UsernamePolicy.DEFAULT_PATTERN,
          java.util.Set.of("chair"),
          new WhatNext("skynet.ie", "https://skynet.ie"),
          Duration.ofHours(8));
  private static final String PASSWORD = "granite walrus umbrella tuesday";
  private static final String CLIENT = "192.0.2.10";

  @TempDir Path dir;
  Database database;
  InMemoryDirectoryServer ldap;
  LdapDirectory directory;
  SignupService signup;
  AskQueue asks;

  @BeforeEach
  void setUp() throws Exception {
    database = TestDatabases.migrated(dir);
    execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('W1', '241', 'Aoife.Murphy@example.com', '2027-08-31', 'Aoife', 'Murphy')",
        "INSERT INTO accounts_wolves VALUES ('W2', '242', 'lapsed@example.com', '2025-08-31', 'Róisín', 'Walsh')");
    ldap = TestDirectories.start();
    directory = new LdapDirectory(TestDirectories.settings(ldap), new SimpleMeterRegistry());
    asks = new AskQueue(database, outbox(), CLOCK);
    signup = service(directory);
  }

  private Outbox outbox() {
    return new Outbox(database, CLOCK, new SimpleMeterRegistry());
  }

  private SignupService service(ie.skynet.accounts.directory.Directory d) {
    return service(d, SETTINGS);
  }

  private SignupService service(ie.skynet.accounts.directory.Directory d, SignupSettings settings) {
    return new SignupService(
        database,
        new Memberships(database),
        asks,
        new Links(database, new SecureRandom(), CLOCK),
        d,
        settings,
        new Mails(
            new BaseUrl(URI.create("https://accounts.skynet.ie")),
            outbox(),
            java.time.ZoneId.of("Europe/Dublin")),
        PasswordPolicy.withShippedList(),
        new RequestLimits(CLOCK, 1000, Duration.ofMinutes(10)),
        new ie.skynet.accounts.db.AuditLog(CLOCK),
        CLOCK,
        new SimpleMeterRegistry());
  }

  /** Answers the signup requests waiting, as the background pass does. */
  private int answerWaiting() {
    return asks.answerWaiting(List.of(signup));
  }

  @AfterEach
  void tearDown() {
    asks.close();
    directory.close();
    ldap.shutDown(true);
  }

  /** The token in the newest mail's link. */
  private String tokenMailedTo(String to) {
    answerWaiting();
    String body =
        rows(
                database,
                "SELECT body_text FROM mail_outbox WHERE recipient = '"
                    + to
                    + "' ORDER BY id DESC LIMIT 1")
            .get(0);
    Matcher link =
        Pattern.compile("https://accounts\\.skynet\\.ie/signup/([A-Za-z0-9_-]{43})").matcher(body);
    assertThat(link.find()).as(body).isTrue();
    return link.group(1);
  }

  private List<String> mails() {
    answerWaiting();
    return rows(database, "SELECT recipient, template FROM mail_outbox ORDER BY id");
  }

  @Test
  void eachKindOfAddressGetsItsOwnMailAndNothingElseChanges() {
    signup.request("  aoife.murphy@EXAMPLE.com ", CLIENT); // matched ignoring case and spaces
    signup.request("not an address", CLIENT); // no one to write to: nothing queued, no error
    signup.request("lapsed@example.com", CLIENT);
    signup.request("stranger@example.com", CLIENT);

    assertThat(mails())
        .containsExactly(
            "Aoife.Murphy@example.com|signup-verify",
            "lapsed@example.com|signup-lapsed",
            "stranger@example.com|signup-not-found");
    assertThat(rows(database, "SELECT count(*) FROM asks")).containsExactly("0");
    String verify = rows(database, "SELECT body_html FROM mail_outbox WHERE id = 1").get(0);
    assertThat(verify)
        .contains("Hello Aoife", "<a href=\"https://accounts.skynet.ie/signup/", "24 hours");
    assertThat(rows(database, "SELECT count(*) FROM links")).containsExactly("1");
  }

  private String textMailedTo(String to) {
    answerWaiting();
    return rows(
            database,
            "SELECT subject || char(10) || body_text FROM mail_outbox WHERE recipient = '"
                + to
                + "' ORDER BY id DESC LIMIT 1")
        .get(0);
  }

  @Test
  void unmatchedAddressesAreToldWhenTheListWasUpdatedAndLapsedOnesHowToRenew() {
    // Accepted at 09:30 UTC; the Wolves sync runs every 8 hours, so the next is due at 17:30.
    execute(
        database,
        "INSERT INTO import_runs (source, started_at, finished_at, status) VALUES"
            + " ('wolves-api', '2026-11-26T09:29:00Z', '2026-11-26T09:30:00Z', 'ok')",
        "INSERT INTO import_runs (source, started_at, finished_at, status) VALUES"
            + " ('wolves-api', '2026-11-26T10:00:00Z', '2026-11-26T10:01:00Z', 'failed')");
    signup.request("stranger@example.com", CLIENT);
    String notFound = textMailedTo("stranger@example.com");
    assertThat(notFound)
        .startsWith("Skynet signup: this address is not on our membership list yet\n")
        .contains("Thursday 26 November 2026 at 09:30 GMT")
        .contains("The next update is expected on Thursday 26 November 2026 at 17:30 GMT.")
        .contains("https://accounts.skynet.ie/signup\n")
        .contains("https://www.ulwolves.ie/society/skynet")
        .doesNotContain("comes back");

    signup.request("lapsed@example.com", CLIENT);
    String lapsed = textMailedTo("lapsed@example.com");
    assertThat(lapsed)
        .startsWith("Your Skynet membership has ended: how to renew\n")
        .contains("Hello Róisín,")
        .contains("ended on Sunday 31 August 2025")
        .contains("https://www.ulwolves.ie/society/skynet")
        .contains("choose your username and password")
        .doesNotContain("still here");

    // The same lapsed member with an account: renewing brings that account back.
    execute(
        database,
        "INSERT INTO accounts (username, id_wolves, email, created_at, status)"
            + " VALUES ('roisin', 'W2', 'lapsed@example.com', '2024-09-01T10:00:00Z', 'expired')");
    signup = service(directory); // its own limits: the address asked a moment ago
    signup.request("lapsed@example.com", CLIENT);
    assertThat(textMailedTo("lapsed@example.com"))
        .contains("Your account roisin is still here")
        .doesNotContain("choose your username");
    assertThat(rows(database, "SELECT count(*) FROM links")).containsExactly("0");
  }

  @Test
  void withoutAScheduleNoNextUpdateIsPromised() {
    signup =
        service(
            directory,
            new SignupSettings(
                SETTINGS.joinUrl(),
                SETTINGS.tokenLifetime(),
                SETTINGS.usernamePattern(),
                SETTINGS.listedUsernames(),
                SETTINGS.whatNext(),
                null));
    signup.request("stranger@example.com", CLIENT);
    assertThat(textMailedTo("stranger@example.com"))
        .contains("has not been updated from Wolves yet")
        .contains("The next update has no fixed time")
        .doesNotContain("expected on");
  }

  @Test
  void aRequestWritesTheSameOneRowWhoeverAsksAndAnswersComeAfter() {
    signup.request("aoife.murphy@example.com", CLIENT);
    signup.request("stranger@example.com", CLIENT);
    assertThat(rows(database, "SELECT value FROM asks ORDER BY id"))
        .containsExactly("aoife.murphy@example.com", "stranger@example.com");
    assertThat(rows(database, "SELECT count(*) FROM links")).containsExactly("0");
    assertThat(rows(database, "SELECT count(*) FROM mail_outbox")).containsExactly("0");

    assertThat(answerWaiting()).isEqualTo(2);
    assertThat(rows(database, "SELECT count(*) FROM asks")).containsExactly("0");
    assertThat(rows(database, "SELECT count(*) FROM links")).containsExactly("1");
  }

  @Test
  void oneRequestThatCannotBeAnsweredHoldsUpNoOther() {
    signup.request("stranger@example.com", CLIENT);
    signup.request("aoife.murphy@example.com", CLIENT);
    execute(
        database,
        "CREATE TRIGGER refuse BEFORE INSERT ON mail_outbox WHEN NEW.recipient ="
            + " 'stranger@example.com' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    assertThat(answerWaiting()).isEqualTo(1);
    assertThat(rows(database, "SELECT value FROM asks")).containsExactly("stranger@example.com");
    assertThat(rows(database, "SELECT recipient, template FROM mail_outbox"))
        .containsExactly("Aoife.Murphy@example.com|signup-verify");
  }

  @Test
  void requestsMadeTogetherAreAllStoredAndNoneAfterClosing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<RequestLimits.Verdict>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String email = "someone" + i + "@example.com";
        results.add(pool.submit(() -> signup.request(email, CLIENT)));
      }
      for (Future<RequestLimits.Verdict> result : results) {
        assertThat(result.get()).isInstanceOf(RequestLimits.Verdict.Allowed.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(rows(database, "SELECT count(DISTINCT value) FROM asks")).containsExactly("200");
    asks.close();
    assertThatThrownBy(() -> signup.request("late@example.com", CLIENT))
        .hasMessageContaining("stopping");
    assertThat(rows(database, "SELECT count(*) FROM asks")).containsExactly("200");
  }

  @Test
  void aRequestWhoseAnswerFailsStaysWaitingAndLeavesNoToken() {
    signup.request("aoife.murphy@example.com", CLIENT);
    execute(
        database,
        "CREATE TRIGGER full BEFORE INSERT ON mail_outbox BEGIN SELECT RAISE(ABORT, 'disk full');"
            + " END");
    assertThat(answerWaiting()).isZero();
    assertThat(rows(database, "SELECT count(*) FROM asks")).containsExactly("1");
    assertThat(rows(database, "SELECT count(*) FROM links")).containsExactly("0");

    execute(database, "DROP TRIGGER full");
    assertThat(answerWaiting()).isEqualTo(1);
    assertThat(mails()).containsExactly("Aoife.Murphy@example.com|signup-verify");
  }

  @Test
  void theLinkCreatesAWholeAccountOnceAndTheMemberCanLogIn() {
    signup.request("aoife.murphy@example.com", CLIENT);
    String token = tokenMailedTo("Aoife.Murphy@example.com");
    assertThat(signup.check(token)).isInstanceOf(LinkCheck.Valid.class);
    assertThat(signup.check(token))
        .as("opening the link does not spend it")
        .isInstanceOf(LinkCheck.Valid.class);

    assertThat(signup.complete(token, "Aoifem", PASSWORD))
        .isEqualTo(new Completion.Created("aoifem"));

    assertThat(directory.authenticate("aoifem", PASSWORD)).isTrue();
    assertThat(rows(database, "SELECT username, id_wolves, email, status FROM accounts"))
        .containsExactly("aoifem|W1|Aoife.Murphy@example.com|active");
    assertThat(mails()).last().isEqualTo("Aoife.Murphy@example.com|signup-welcome");
    assertThat(signup.complete(token, "other", PASSWORD))
        .isInstanceOfSatisfying(
            Completion.LinkRefused.class,
            r -> assertThat(r.check()).isInstanceOf(LinkCheck.Used.class));

    service(directory).request("aoife.murphy@example.com", CLIENT); // fresh limits: a minute later
    assertThat(mails()).last().isEqualTo("Aoife.Murphy@example.com|signup-existing");
    assertThat(rows(database, "SELECT body_text FROM mail_outbox ORDER BY id DESC LIMIT 1").get(0))
        .contains("aoifem");
  }

  @Test
  void refusedChoicesCreateNothingAndKeepTheLinkGood() {
    signup.request("aoife.murphy@example.com", CLIENT);
    String token = tokenMailedTo("Aoife.Murphy@example.com");

    assertThat(signup.complete(token, "root", PASSWORD))
        .isInstanceOf(Completion.UsernameRefused.class);
    assertThat(signup.complete(token, "aoifem", "password1234"))
        .isInstanceOfSatisfying(
            Completion.PasswordRefused.class, r -> assertThat(r.reasons()).isNotEmpty());
    directory.createAccount(
        new ie.skynet.accounts.directory.NewAccount("taken", null, "X", "x@example.com", "W9"),
        PASSWORD);
    assertThat(signup.complete(token, "Taken", PASSWORD))
        .isEqualTo(new Completion.UsernameRefused("'taken' is taken; choose another."));
    // A name the admins' list holds, though no entry has it yet: nobody takes an admin's rights
    // by signing up first. The answer is that of a taken name.
    assertThat(signup.complete(token, "chair", PASSWORD))
        .isEqualTo(new Completion.UsernameRefused("'chair' is taken; choose another."));

    assertThat(rows(database, "SELECT count(*) FROM accounts")).containsExactly("0");
    assertThat(signup.check(token)).isInstanceOf(LinkCheck.Valid.class);
  }

  @Test
  void aDirectoryFailureHalfWayLeavesNothingAndTheLinkStillWorks() throws Exception {
    signup.request("aoife.murphy@example.com", CLIENT);
    String token = tokenMailedTo("Aoife.Murphy@example.com");
    try (LdapDirectory broken =
        new LdapDirectory(
            TestDirectories.settings(ldap, "cn=missing,ou=groups," + TestDirectories.BASE),
            new SimpleMeterRegistry())) {
      assertThatThrownBy(() -> service(broken).complete(token, "aoifem", PASSWORD))
          .isInstanceOf(DirectoryException.class);
    }
    assertThat(directory.usernameTaken("aoifem")).isFalse();
    assertThat(rows(database, "SELECT count(*) FROM accounts")).containsExactly("0");
    assertThat(signup.complete(token, "aoifem", PASSWORD))
        .isEqualTo(new Completion.Created("aoifem"));
  }

  @Test
  void aDatabaseFailureAfterTheEntryIsMadeRemovesTheEntry() {
    signup.request("aoife.murphy@example.com", CLIENT);
    String token = tokenMailedTo("Aoife.Murphy@example.com");
    execute(
        database,
        "CREATE TRIGGER fault BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'injected fault'); END");

    assertThatThrownBy(() -> signup.complete(token, "aoifem", PASSWORD))
        .isInstanceOf(DatabaseException.class);

    assertThat(directory.usernameTaken("aoifem")).isFalse();
    assertThat(signup.check(token))
        .as("the spend was rolled back too")
        .isInstanceOf(LinkCheck.Valid.class);
    assertThat(mails()).doesNotContain("Aoife.Murphy@example.com|signup-welcome");
  }

  @Test
  void fiftyMembersRacingForOneUsernameMakeExactlyOneAccount() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      execute(
          database,
          "INSERT INTO accounts_wolves VALUES ('R"
              + i
              + "', NULL, 'r"
              + i
              + "@example.com', '2027-08-31', 'R', 'Acer')");
      signup.request("r" + i + "@example.com", CLIENT);
      tokens.add(tokenMailedTo("r" + i + "@example.com"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Completion>> results = new ArrayList<>();
      for (String token : tokens) {
        results.add(pool.submit(() -> signup.complete(token, "racer", PASSWORD)));
      }
      int created = 0;
      for (Future<Completion> result : results) {
        Completion completion = result.get();
        if (completion instanceof Completion.Created) {
          created++;
        } else {
          assertThat(completion).isInstanceOf(Completion.UsernameRefused.class);
        }
      }
      assertThat(created).isEqualTo(1);
      assertThat(rows(database, "SELECT count(*) FROM accounts")).containsExactly("1");
      assertThat(ldap.getEntry(TestDirectories.MEMBERS).getAttributeValues("memberUid"))
          .containsExactly("racer");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLinkStopsWorkingWhenItsMembershipLapsesOrChangesAddress() {
    signup.request("aoife.murphy@example.com", CLIENT);
    String token = tokenMailedTo("Aoife.Murphy@example.com");
    execute(
        database,
        "UPDATE accounts_wolves SET email = 'aoife@new.example.com' WHERE id_wolves = 'W1'");
    assertThat(signup.complete(token, "aoifem", PASSWORD))
        .isEqualTo(new Completion.MembershipChanged());
    execute(
        database,
        "UPDATE accounts_wolves SET email = 'Aoife.Murphy@example.com', expiry = '2026-11-25' WHERE id_wolves = 'W1'");
    assertThat(signup.complete(token, "aoifem", PASSWORD))
        .isEqualTo(new Completion.MembershipChanged());
    assertThat(directory.usernameTaken("aoifem")).isFalse();
  }

  @Test
  void twoLinksForOneMembershipMakeOneAccount() throws Exception {
    signup.request("aoife.murphy@example.com", CLIENT);
    String first = tokenMailedTo("Aoife.Murphy@example.com");
    service(directory)
        .request("aoife.murphy@example.com", CLIENT); // a second link, from another tab
    String second = tokenMailedTo("Aoife.Murphy@example.com");
    assertThat(second).isNotEqualTo(first);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Completion> a = pool.submit(() -> signup.complete(first, "aoife-a", PASSWORD));
      Future<Completion> b = pool.submit(() -> signup.complete(second, "aoife-b", PASSWORD));
      List<Completion> results = List.of(a.get(), b.get());
      assertThat(results).filteredOn(Completion.Created.class::isInstance).hasSize(1);
      assertThat(results)
          .filteredOn(c -> !(c instanceof Completion.Created))
          .singleElement()
          .isInstanceOf(Completion.MembershipHasAccount.class);
    } finally {
      pool.shutdownNow();
    }
    String username = rows(database, "SELECT username FROM accounts").get(0);
    assertThat(List.of(directory.usernameTaken("aoife-a"), directory.usernameTaken("aoife-b")))
        .as("only the recorded account stays in the directory")
        .containsExactlyInAnyOrder(true, false);
    assertThat(directory.usernameTaken(username)).isTrue();
  }

  @Test
  void askingAgainWithinAMinuteIsRefusedAlikeForMembersAndStrangers() {
    assertThat(signup.request("aoife.murphy@example.com", CLIENT))
        .isEqualTo(new RequestLimits.Verdict.Allowed());
    assertThat(signup.request("stranger@example.com", CLIENT))
        .isEqualTo(new RequestLimits.Verdict.Allowed());
    assertThat(signup.request("Aoife.Murphy@example.com", CLIENT))
        .isEqualTo(new RequestLimits.Verdict.AskedRecently(Duration.ofSeconds(60)));
    assertThat(signup.request("stranger@example.com", CLIENT))
        .isEqualTo(new RequestLimits.Verdict.AskedRecently(Duration.ofSeconds(60)));
    assertThat(mails()).hasSize(2);
  }
}
