package ie.skynet.accounts.signup;

import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignupTokensIT {
  private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

  @TempDir Path dir;
  Database database;
  TestClock clock = new TestClock(T0);
  SignupTokens tokens;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    tokens = new SignupTokens(new SecureRandom(), clock, Duration.ofHours(24));
  }

  private String issue() throws Exception {
    try (Connection c = database.connect()) {
      return tokens.issue(c, TokenPurpose.SIGNUP, "aoife.murphy@example.com", "W200001");
    }
  }

  private TokenCheck check(String token) throws Exception {
    try (Connection c = database.connect()) {
      return tokens.check(c, TokenPurpose.SIGNUP, token);
    }
  }

  private TokenCheck consume(String token) throws Exception {
    try (Connection c = database.connect()) {
      return tokens.consume(c, TokenPurpose.SIGNUP, token);
    }
  }

  @Test
  void tokensAre256RandomBitsAndOnlyTheirHashIsStored() throws Exception {
    String token = issue();
    String other = issue();
    assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(other);
    List<String> stored =
        rows(
            database,
            "SELECT token_sha256, purpose, email, id_wolves, created_at, expires_at, used_at FROM signup_requests ORDER BY id");
    assertThat(stored.get(0))
        .matches(
            "[0-9a-f]{64}\\|signup\\|aoife.murphy@example.com\\|W200001\\|2026-11-26T12:00:00Z\\|2026-11-27T12:00:00Z\\|null");
    assertThat(String.join("\n", rows(database, "SELECT * FROM signup_requests")))
        .doesNotContain(token);
  }

  @Test
  void checkingDoesNotSpendButConsumingDoesOnce() throws Exception {
    String token = issue();
    assertThat(check(token)).isInstanceOf(TokenCheck.Valid.class);
    assertThat(check(token))
        .isInstanceOf(TokenCheck.Valid.class); // a mail scanner's GET changes nothing
    TokenCheck first = consume(token);
    assertThat(first).isInstanceOf(TokenCheck.Valid.class);
    assertThat(((TokenCheck.Valid) first).request().idWolves()).isEqualTo("W200001");
    assertThat(consume(token)).isInstanceOf(TokenCheck.Used.class);
    assertThat(check(token)).isInstanceOf(TokenCheck.Used.class);
  }

  @Test
  void tokensExpireAfterTheirLifetime() throws Exception {
    String token = issue();
    clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(check(token)).isInstanceOf(TokenCheck.Valid.class);
    clock.advance(Duration.ofSeconds(1));
    assertThat(check(token)).isInstanceOf(TokenCheck.Expired.class);
    assertThat(consume(token)).isInstanceOf(TokenCheck.Expired.class);
  }

  @Test
  void unknownMalformedAndWrongPurposeTokensAreRefused() throws Exception {
    String token = issue();
    assertThat(check("x".repeat(43))).isInstanceOf(TokenCheck.Unknown.class);
    assertThat(check("short")).isInstanceOf(TokenCheck.Unknown.class);
    assertThat(check(token + "a")).isInstanceOf(TokenCheck.Unknown.class);
    // The same row, had it been issued for another purpose:
    TestDatabases.execute(database, "UPDATE signup_requests SET purpose = 'password-reset'");
    assertThat(check(token)).isInstanceOf(TokenCheck.WrongPurpose.class);
    assertThat(consume(token)).isInstanceOf(TokenCheck.WrongPurpose.class);
  }

  @Test
  void racingConsumersSpendATokenExactlyOnce() throws Exception {
    String token = issue();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<TokenCheck>> results = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        results.add(pool.submit(() -> consume(token)));
      }
      int valid = 0;
      for (Future<TokenCheck> result : results) {
        TokenCheck check = result.get();
        if (check instanceof TokenCheck.Valid) {
          valid++;
        } else {
          assertThat(check).isInstanceOf(TokenCheck.Used.class);
        }
      }
      assertThat(valid).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
