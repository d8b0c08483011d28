package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ie.skynet.accounts.app.Cli;
import ie.skynet.accounts.membership.WolvesStub;
import ie.skynet.accounts.membership.WolvesStub.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accounts sync-wolves} and doctor's Wolves lines through the real command line, configured
 * as an operator would (the key in a file), against a Wolves API stub on loopback.
 */
class SyncWolvesCommandIT {
  @TempDir Path dir;
  WolvesStub stub;
  Path keyFile;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    stub = WolvesStub.start();
    keyFile = Files.writeString(dir.resolve("wolves-key"), WolvesStub.KEY + "\n");
    env = new HashMap<>();
    env.put("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("data/accounts.db"));
    env.put("ACCOUNTS_WOLVES_API_URL", stub.url().toString());
    env.put("ACCOUNTS_WOLVES_API_KEY_FILE", keyFile.toString());
    env.put("ACCOUNTS_WOLVES_RETRIES", "0"); // the real pause would sleep
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void importsTheListThenFindsItUnchangedWithTheImportCsvJsonShape() throws Exception {
    Cli.Result first = Cli.run(env, "sync-wolves", "--json");
    assertThat(first.exit()).as(first.all()).isZero();
    JsonNode json = new ObjectMapper().readTree(first.out());
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("source").asText()).isEqualTo("wolves-api");
    assertThat(json.get("file").asText()).isEqualTo(stub.url().toString());
    assertThat(json.get("inserted").asLong()).isEqualTo(10);
    assertThat(json.get("runId").asLong()).isPositive();
    assertThat(first.all()).doesNotContain(WolvesStub.KEY);

    Cli.Result second = Cli.run(env, "sync-wolves");
    assertThat(second.exit()).isZero();
    assertThat(second.out())
        .contains(
            stub.url() + ": imported", "10 members read: 0 inserted, 0 updated, 10 unchanged");
  }

  @Test
  void aRefusedKeyExitsOneNamingTheKeyFile() {
    stub.otherwise(request -> WolvesStub.unauthorised());

    Cli.Result result = Cli.run(env, "sync-wolves");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out())
        .contains(
            "the Wolves API refused the key from", keyFile.toString(), "nothing was imported");
    assertThat(result.all()).doesNotContain(WolvesStub.KEY);
  }

  @Test
  void aRejectedMemberIsListedByItsPlaceAndFieldAndExitsOne() {
    List<com.fasterxml.jackson.databind.JsonNode> members = WolvesStub.sampleMembers();
    ((ObjectNode) members.get(4)).put("expiry", "31/08/2027");
    stub.then(Answer.ok(WolvesStub.envelope(members, null)));

    Cli.Result result = Cli.run(env, "sync-wolves");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out())
        .contains("rejected, nothing was written")
        .contains("member 5 (expiry): expected a date like 2027-08-31 (yyyy-MM-dd)")
        .doesNotContain("--date-format");
  }

  @Test
  void aDryRunWritesNothing() throws Exception {
    assertThat(Cli.run(env, "migrate").exit()).isZero();

    Cli.Result dry = Cli.run(env, "sync-wolves", "--dry-run", "--json");
    assertThat(dry.exit()).as(dry.all()).isZero();
    JsonNode json = new ObjectMapper().readTree(dry.out());
    assertThat(json.get("dryRun").asBoolean()).isTrue();
    assertThat(json.get("inserted").asLong()).isEqualTo(10);
    assertThat(json.get("runId").isNull()).isTrue();

    // Nothing was kept: a real run still inserts every member.
    JsonNode real = new ObjectMapper().readTree(Cli.run(env, "sync-wolves", "--json").out());
    assertThat(real.get("inserted").asLong()).isEqualTo(10);
  }

  @Test
  void withoutAnApiUrlItIsAConfigurationErrorExitTwo() {
    env.remove("ACCOUNTS_WOLVES_API_URL");
    env.remove("ACCOUNTS_WOLVES_API_KEY_FILE");

    Cli.Result result = Cli.run(env, "sync-wolves");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("wolves.api-url is empty: the Wolves API is not configured");
  }

  @Test
  void anApiUrlWithoutAKeyIsAConfigurationErrorExitTwo() {
    env.remove("ACCOUNTS_WOLVES_API_KEY_FILE");

    Cli.Result result = Cli.run(env, "sync-wolves");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("wolves.api-key: wolves.api-url is set");
  }

  @Test
  void doctorChecksTheApiWhenConfiguredAndSaysSoWhenNot() throws Exception {
    Map<String, JsonNode> accepted = doctor(env);
    assertThat(accepted.get("wolves dns").get("status").asText()).isEqualTo("ok");
    assertThat(accepted.get("wolves tcp").get("status").asText()).isEqualTo("ok");
    assertThat(accepted.get("wolves api").get("status").asText()).isEqualTo("ok");
    assertThat(accepted.get("wolves api").get("measured").asText())
        .contains("is accepted", "members in one answer");

    stub.otherwise(request -> WolvesStub.unauthorised());
    JsonNode refused = doctor(env).get("wolves api");
    assertThat(refused.get("status").asText()).isEqualTo("failed");
    assertThat(refused.get("measured").asText())
        .contains("refused the key from", keyFile.toString());

    env.remove("ACCOUNTS_WOLVES_API_URL");
    env.remove("ACCOUNTS_WOLVES_API_KEY_FILE");
    Map<String, JsonNode> off = doctor(env);
    assertThat(off.get("wolves api").get("status").asText()).isEqualTo("skipped");
    assertThat(off.get("wolves api").get("measured").asText()).contains("not configured");
    assertThat(off).doesNotContainKey("wolves dns");
  }

  private static Map<String, JsonNode> doctor(Map<String, String> env) throws Exception {
    Cli.Result result = Cli.run(env, "doctor", "--json");
    Map<String, JsonNode> byCheck = new HashMap<>();
    new ObjectMapper().readTree(result.out()).forEach(n -> byCheck.put(n.get("check").asText(), n));
    return byCheck;
  }
}
