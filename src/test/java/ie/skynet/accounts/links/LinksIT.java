package ie.skynet.accounts.links;

import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one link store, on a real SQLite file. */
class LinksIT {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  private static final LinkPurpose SIGNUP = LinkPurpose.SIGNUP;

  @TempDir Path dir;
  Database database;
  TestClock clock = new TestClock(T0);
  Links links;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    links = new Links(database, new SecureRandom(), clock);
  }

  private String issue(LinkPurpose purpose, String subject) {
    return database.inTransaction(
        "issuing",
        c -> links.issue(c, purpose, subject, "aoife.murphy@example.com", Duration.ofHours(24)));
  }

  private String issue() {
    return issue(SIGNUP, "W200001");
  }

  private LinkCheck check(String token) {
    return links.check(SIGNUP, token);
  }

  private LinkCheck spend(String token) {
    return database.inTransaction("spending", c -> links.spend(c, SIGNUP, token, clock.instant()));
  }

  @Test
  void tokensAre256RandomBitsAndOnlyTheirHashIsStored() {
    String token = issue();
    String other = issue();
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(other);
    List<String> stored =
        rows(
            database,
            "SELECT token_sha256, purpose, subject, address, created_at, expires_at, used_at"
                + " FROM links ORDER BY id");
    assertThat(stored.get(0))
        .matches(
            "[0-9a-f]{64}\\|signup\\|W200001\\|aoife.murphy@example.com\\|2026-11-26T12:00:00Z"
                + "\\|2026-11-27T12:00:00Z\\|null");
    assertThat(String.join("\n", rows(database, "SELECT * FROM links"))).doesNotContain(token);
  }

  @Test
  void checkingDoesNotSpendButSpendingDoesOnce() {
    String token = issue();
    assertThat(check(token)).isInstanceOf(LinkCheck.Valid.class);
    assertThat(check(token)).isInstanceOf(LinkCheck.Valid.class); // a mail scanner's GET
    LinkCheck first = spend(token);
    assertThat(first).isInstanceOf(LinkCheck.Valid.class);
    assertThat(((LinkCheck.Valid) first).link().subject()).isEqualTo("W200001");
    assertThat(spend(token)).isInstanceOf(LinkCheck.Used.class);
    assertThat(check(token)).isInstanceOf(LinkCheck.Used.class);
  }

  @Test
  void linksExpireAfterTheirLifetime() {
    String token = issue();
    clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(check(token)).isInstanceOf(LinkCheck.Valid.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(check(token)).isInstanceOf(LinkCheck.Expired.class);
    assertThat(spend(token)).isInstanceOf(LinkCheck.Expired.class);
  }

  @Test
  void unknownMalformedAndOtherPurposesTokensAreRefusedAsUnknown() {
    String token = issue();
    assertThat(check("x".repeat(43))).isInstanceOf(LinkCheck.Unknown.class);
    assertThat(check("short")).isInstanceOf(LinkCheck.Unknown.class);
    assertThat(check(token + "a")).isInstanceOf(LinkCheck.Unknown.class);
    // A link never crosses purposes: a signup link does not reset a password.
    assertThat(links.check(LinkPurpose.PASSWORD_RESET, token))
        .isInstanceOf(LinkCheck.Unknown.class);
    LinkCheck crossed =
        database.inTransaction(
            "spending", c -> links.spend(c, LinkPurpose.PASSWORD_RESET, token, clock.instant()));
    assertThat(crossed).isInstanceOf(LinkCheck.Unknown.class);
    assertThat(check(token)).as("and it is not spent").isInstanceOf(LinkCheck.Valid.class);
  }

  @Test
  void racingSpendersSpendALinkExactlyOnce() throws Exception {
    String token = issue();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<LinkCheck>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> spend(token)));
      }
      int valid = 0;
      for (Future<LinkCheck> result : results) {
        LinkCheck check = result.get();
        if (check instanceof LinkCheck.Valid) {
          valid++;
        } else {
          assertThat(check).isInstanceOf(LinkCheck.Used.class);
        }
      }
      assertThat(valid).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLinkGivenBackWorksAgainAndSpendingAllSpendsOnlyThatSubjectsPurposes() {
    String reset = issue(LinkPurpose.PASSWORD_RESET, "aoife");
    String change = issue(LinkPurpose.EMAIL_CHANGE, "aoife");
    String othersReset = issue(LinkPurpose.PASSWORD_RESET, "sean");
    String signup = issue(SIGNUP, "aoife"); // a signup's subject is a membership, never a user

    Instant at = clock.instant();
    database.inTransaction("spending", c -> links.spend(c, LinkPurpose.PASSWORD_RESET, reset, at));
    database.runInTransaction(
        "giving back", c -> links.giveBack(c, LinkPurpose.PASSWORD_RESET, reset, at));
    assertThat(links.check(LinkPurpose.PASSWORD_RESET, reset)).isInstanceOf(LinkCheck.Valid.class);

    database.runInTransaction(
        "spending all",
        c ->
            links.spendAll(
                c, "aoife", Set.of(LinkPurpose.PASSWORD_RESET, LinkPurpose.EMAIL_CHANGE)));
    assertThat(links.check(LinkPurpose.PASSWORD_RESET, reset)).isInstanceOf(LinkCheck.Used.class);
    assertThat(links.check(LinkPurpose.EMAIL_CHANGE, change)).isInstanceOf(LinkCheck.Used.class);
    assertThat(links.check(LinkPurpose.PASSWORD_RESET, othersReset))
        .isInstanceOf(LinkCheck.Valid.class);
    assertThat(links.check(SIGNUP, signup)).isInstanceOf(LinkCheck.Valid.class);

    database.runInTransaction("forgetting", c -> links.forget(c, SIGNUP, "aoife"));
    assertThat(links.check(SIGNUP, signup)).isInstanceOf(LinkCheck.Unknown.class);
  }
}
