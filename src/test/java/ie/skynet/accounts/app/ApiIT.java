package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.EMAIL;
import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON API of the previous backend, route by route, over real HTTP against the dev stack. */
class ApiIT extends WithOneMember {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUCCESS = "{\"result\":\"success\"}";
  private static final String NEW_PASSWORD = "violet anchor gravel pocket";

  private HttpResponse<String> call(String route, String json) {
    return call(route, json, "application/json");
  }

  private HttpResponse<String> call(String route, String body, String type) {
    Browser client = dev().browser();
    return client.send(
        HttpRequest.newBuilder(client.uri(route))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(response.body());
  }

  private static void assertError(HttpResponse<String> response, int status, String says)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.get("result").asText()).isEqualTo("error");
    assertThat(body.get("error").asText()).contains(says);
  }

  private static String tokenIn(String link) {
    return link.substring(link.lastIndexOf('/') + 1);
  }

  @Test
  void newEmailAnswersTheSameForEveryAddressAndMailsTheRightThing() throws Exception {
    clock.advance(Duration.ofMinutes(2)); // past the limit of the fixture's own signup request
    HttpResponse<String> member =
        call("/ldap/new/email", "{\"email\":\"sean.obriain@example.com\"}");
    HttpResponse<String> stranger = call("/ldap/new/email", "{\"email\":\"nobody@example.net\"}");
    HttpResponse<String> hasAccount = call("/ldap/new/email", "{\"email\":\"" + EMAIL + "\"}");
    for (HttpResponse<String> response : java.util.List.of(member, stranger, hasAccount)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(SUCCESS);
    }
    assertThat(
            dev()
                .awaitMail("sean.obriain@example.com", "Choose your Skynet username and password")
                .links())
        .isNotEmpty();
    HttpResponse<String> again = call("/ldap/new/email", "{\"email\":\"nobody@example.net\"}");
    assertError(again, 429, "try again in");
    assertThat(again.headers().firstValue("Retry-After")).isPresent();
    assertError(call("/ldap/new/email", "{\"email\":\"not an address\"}"), 422, "\"email\" must");
  }

  @Test
  void badBodiesAreRefusedSayingWhatWasExpected() throws Exception {
    List<String> queuedBefore = TestDatabases.rows(dev().database(), QUEUED);
    assertError(call("/ldap/new/email", "{}"), 400, "missing field \"email\"");
    assertError(call("/ldap/new/email", "{\"email\": 7}"), 400, "\"email\" must be a string");
    assertError(call("/ldap/new/email", "[\"a@b.example\"]"), 400, "must be a JSON object");
    assertError(call("/ldap/new/email", "{\"email\":\n \"a@b\""), 400, "line 2");
    assertError(
        call("/ldap/new/email", "{\"email\":\"a@b.example\",\"email\":\"c@d.example\"}"),
        400,
        "Duplicate field");
    // JSON only: a cross-site HTML form cannot send it without CORS, which is never granted.
    assertError(
        call("/ldap/new/email", "email=a%40b.example", "application/x-www-form-urlencoded"),
        415,
        "application/json");
    Browser client = dev().browser();
    assertError(
        client.send(
            HttpRequest.newBuilder(client.uri("/ldap/new/email"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"a@b.example\"}"))),
        403,
        "must come from");
    assertError(call("/ldap/no/such/route", "{}"), 404, "no such route");
    // Refused, so nothing was asked: no request waits for the background pass, and no mail was
    // queued (mail leaves only through the outbox). Read now, this needs no waiting for the pass.
    assertThat(TestDatabases.rows(dev().database(), QUEUED)).isEqualTo(queuedBefore);
    assertThat(dev().running.dev().mailbox.mails()).noneMatch(m -> m.to().equals("a@b.example"));
  }

  /**
   * Requests waiting for the background pass, and mail queued or sent, in one statement (one
   * snapshot): a pass answers a request and queues its mail in one transaction, so none slips
   * between the counts.
   */
  private static final String QUEUED =
      "SELECT (SELECT count(*) FROM asks WHERE kind = 'signup') || ' ' || (SELECT count(*) FROM"
          + " asks WHERE kind <> 'signup') || ' ' || (SELECT count(*) FROM mail_outbox)";

  @Test
  void newAccountFinishesASignupOnceWithTheMailedAuth() throws Exception {
    call("/ldap/new/email", "{\"email\":\"sean.obriain@example.com\"}");
    String auth =
        tokenIn(
            dev()
                .awaitMail("sean.obriain@example.com", "Choose your Skynet username and password")
                .links()
                .get(0));
    assertError(
        call(
            "/ldap/new/account",
            "{\"auth\":\"" + auth + "\",\"user\":\"sean\",\"pass\":\"password1234\"}"),
        422,
        "commonly used");
    HttpResponse<String> created =
        call(
            "/ldap/new/account",
            "{\"auth\":\"" + auth + "\",\"user\":\"sean\",\"pass\":\"" + NEW_PASSWORD + "\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(json(created).get("user").asText()).isEqualTo("sean");
    assertThat(dev().canBind("sean", NEW_PASSWORD)).isTrue();
    assertError(
        call(
            "/ldap/new/account",
            "{\"auth\":\"" + auth + "\",\"user\":\"sean2\",\"pass\":\"" + NEW_PASSWORD + "\"}"),
        410,
        "used");
    assertError(
        call(
            "/ldap/new/account",
            "{\"auth\":\""
                + "A".repeat(43)
                + "\",\"user\":\"x\",\"pass\":\""
                + NEW_PASSWORD
                + "\"}"),
        404,
        "not a link we know");
  }

  private HttpResponse<String> update(String pass, String field, String value) {
    return call(
        "/ldap/update",
        "{\"user\":\"aoife\",\"pass\":"
            + JSON.valueToTree(pass)
            + ",\"field\":\""
            + field
            + "\",\"value\":"
            + JSON.valueToTree(value)
            + "}");
  }

  @Test
  void updateChangesNameMailAndPasswordWithTheCurrentPassword() throws Exception {
    HttpResponse<String> cn = update(PASSWORD, "cn", "Aoife Ní Mhurchú");
    assertThat(cn.statusCode()).isEqualTo(200);
    JsonNode body = json(cn);
    assertThat(body.get("cn").asText()).isEqualTo("Aoife Ní Mhurchú");
    assertThat(body.get("mail").asText()).isEqualTo(EMAIL);
    assertThat(body.get("sshPublicKey").isArray()).isTrue();
    assertThat(update(PASSWORD, "sn", "Ní Mhurchú").statusCode()).isEqualTo(200);
    var entry = dev().running.dev().directory.getEntry("uid=aoife," + DevDirectory.USERS);
    assertThat(entry.getAttributeValue("cn")).isEqualTo("Aoife Ní Mhurchú");
    assertThat(entry.getAttributeValue("sn")).isEqualTo("Ní Mhurchú");
    assertError(update(PASSWORD, "cn", "  "), 422, "between 1 and 128");

    HttpResponse<String> mail = update(PASSWORD, "mail", "aoife@new.example.net");
    assertThat(json(mail).get("mail").asText()).isEqualTo(EMAIL); // not until confirmed
    assertThat(json(mail).get("pending").asText()).contains("aoife@new.example.net");
    dev().awaitMail("aoife@new.example.net", "Confirm your new Skynet contact address");

    assertThat(update(PASSWORD, "userPassword", NEW_PASSWORD).statusCode()).isEqualTo(200);
    assertThat(dev().canBind("aoife", NEW_PASSWORD)).isTrue();
    assertThat(dev().canBind("aoife", PASSWORD)).isFalse();
    dev().awaitMail(EMAIL, "Your Skynet password was changed");

    assertError(update(NEW_PASSWORD, "uidNumber", "0"), 422, "\"field\" must be one of");
    assertThat(
            ie.skynet.accounts.db.TestDatabases.rows(
                dev().database(),
                "SELECT action FROM audit_log WHERE target = 'aoife' ORDER BY id"))
        .containsExactly(
            "account-created",
            "name-changed",
            "surname-changed",
            "email-change-asked",
            "password-changed");
  }

  @Test
  void updateRefusesWrongPasswordsAndUnknownUsersAlikeAndThrottlesThem() throws Exception {
    HttpResponse<String> wrong = update("not it", "cn", "X");
    HttpResponse<String> unknown =
        call(
            "/ldap/update",
            "{\"user\":\"nosuchuser\",\"pass\":\"x\",\"field\":\"cn\",\"value\":\"X\"}");
    assertError(wrong, 401, "invalid username or password");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo(wrong.body());
    for (int i = 0; i < 4; i++) {
      update("not it " + i, "cn", "X");
    }
    assertError(update(PASSWORD, "cn", "X"), 429, "too many wrong passwords");
    clock.advance(Duration.ofMinutes(15));
    assertThat(update(PASSWORD, "cn", "X").statusCode()).isEqualTo(200);
  }

  private com.unboundid.ldap.sdk.Entry aoife() throws Exception {
    return dev().running.dev().directory.getEntry("uid=aoife," + DevDirectory.USERS);
  }

  @Test
  void updateLinksAndUnlinksTheDiscordAccountAsThePreviousBackendDid() throws Exception {
    HttpResponse<String> linked = update(PASSWORD, "skDiscord", "  Aoife.Codes ");
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
    assertThat(json(linked).get("skDiscord").asText()).isEqualTo("aoife.codes");
    assertThat(aoife().getAttributeValue("skDiscord")).isEqualTo("aoife.codes");
    assertThat(aoife().hasObjectClass("skynetPerson")).isTrue();

    assertError(update(PASSWORD, "skDiscord", "aoife..codes"), 422, "2 to 32 lowercase letters");
    assertError(update(PASSWORD, "skDiscord", "a b"), 422, "found 'a b'");
    assertThat(aoife().getAttributeValue("skDiscord")).isEqualTo("aoife.codes");

    HttpResponse<String> unlinked = update(PASSWORD, "skDiscord", "");
    assertThat(unlinked.statusCode()).isEqualTo(200);
    assertThat(json(unlinked).has("skDiscord")).isFalse();
    assertThat(aoife().hasAttribute("skDiscord")).isFalse();
  }

  @Test
  void recoverPasswordAnswersAlikeAndTheMailedAuthSetsANewPasswordOnce() throws Exception {
    HttpResponse<String> byName = call("/ldap/recover/password", "{\"user\":\"aoife\"}");
    HttpResponse<String> unknown = call("/ldap/recover/password", "{\"user\":\"nosuchuser\"}");
    HttpResponse<String> byAddress =
        call("/ldap/recover/password", "{\"email\":\"nobody@example.net\"}");
    for (HttpResponse<String> response : java.util.List.of(byName, unknown, byAddress)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(SUCCESS);
    }
    assertError(
        call("/ldap/recover/password", "{\"user\":\"aoife\",\"email\":\"" + EMAIL + "\"}"),
        400,
        "not both");
    String auth = tokenIn(dev().awaitMail(EMAIL, "Choose a new Skynet password").links().get(0));
    HttpResponse<String> weak =
        call("/ldap/recover/password/auth", "{\"auth\":\"" + auth + "\",\"pass\":\"aoife\"}");
    assertError(weak, 422, "Use at least");
    assertThat(json(weak).get("error").asText()).contains("Do not use your username");
    HttpResponse<String> reset =
        call(
            "/ldap/recover/password/auth",
            "{\"auth\":\"" + auth + "\",\"pass\":\"" + NEW_PASSWORD + "\"}");
    assertThat(json(reset).get("user").asText()).isEqualTo("aoife");
    assertThat(dev().canBind("aoife", NEW_PASSWORD)).isTrue();
    assertError(
        call(
            "/ldap/recover/password/auth",
            "{\"auth\":\"" + auth + "\",\"pass\":\"" + NEW_PASSWORD + "x\"}"),
        410,
        "used");
  }

  @Test
  void recoverUsernameMailsTheUsernamesOfTheAddress() throws Exception {
    HttpResponse<String> asked =
        call("/ldap/recover/username", "{\"email\":\"Aoife.Murphy@example.com\"}");
    assertThat(asked.body()).isEqualTo(SUCCESS);
    assertThat(dev().awaitMail(EMAIL, "Your Skynet username").plainText()).contains("  aoife");
    assertError(call("/ldap/recover/username", "{\"user\":\"aoife\"}"), 400, "\"email\"");
  }

  @Test
  void theServedOpenApiDocumentDescribesEveryRouteAndEachAnswers() throws Exception {
    Browser browser = dev().browser();
    HttpResponse<String> doc = browser.get("/api/openapi.yaml");
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(doc.headers().firstValue("Content-Type"))
        .hasValue("application/yaml; charset=utf-8");
    JsonNode openapi =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(doc.body());
    assertThat(openapi.get("openapi").asText()).startsWith("3.");
    java.util.List<String> paths = new java.util.ArrayList<>();
    openapi.get("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths)
        .containsExactlyInAnyOrder(
            "/ldap/new/email",
            "/ldap/new/account",
            "/ldap/update",
            "/ldap/recover/password",
            "/ldap/recover/password/auth",
            "/ldap/recover/username",
            "/ldap/recover/ssh/request",
            "/ldap/recover/ssh/verify");
    for (String path : paths) {
      // An empty object misses a required field on every route: 400, never 404.
      assertError(call(path, "{}"), 400, "\"");
      assertThat(openapi.get("paths").get(path).get("post").get("responses").has("400")).isTrue();
    }
  }
}
