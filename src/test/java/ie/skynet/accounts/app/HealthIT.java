package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ie.skynet.accounts.RefusingPort;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /health/live} and {@code /health/ready} over real HTTP against the dev stack. */
class HealthIT extends WithOneMember {
  private static JsonNode ready(Browser browser, int status) throws Exception {
    HttpResponse<String> response = browser.get("/health/ready");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void readinessSaysWhichDependencyIsDownAndKeepsItsAnswerForAWhile() throws Exception {
    Browser browser = dev().browser();
    assertThat(browser.get("/health/live").body()).isEqualTo("ok");
    JsonNode up = ready(browser, 200);
    assertThat(up.get("status").asText()).isEqualTo("ready");
    assertThat(up.get("checks").toString())
        .isEqualTo("{\"database\":\"ok\",\"ldap\":\"ok\",\"smtp\":\"ok\"}");

    // Each server stopped leaves its port held by a socket that refuses (RefusingPort), so no
    // other program can start answering there while the test counts on refusal.
    int smtpPort = dev().running.dev().mailbox.port();
    dev().running.dev().mailbox.close();
    try (RefusingPort smtpDown = RefusingPort.holding(smtpPort)) {
      // Probes come often: the kept answer is given until it is 10 seconds old.
      assertThat(ready(browser, 200).get("checked").asText()).isEqualTo(up.get("checked").asText());
      clock.advance(Duration.ofSeconds(11));
      // Mail waits in the outbox while the mail server is down: still ready, and it says so.
      JsonNode noMail = ready(browser, 200);
      assertThat(noMail.get("status").asText()).isEqualTo("ready");
      assertThat(noMail.get("checks").get("smtp").asText()).startsWith("failing");

      int ldapPort = dev().running.dev().directory.getListenPort();
      dev().running.dev().directory.shutDown(true);
      try (RefusingPort ldapDown = RefusingPort.holding(ldapPort)) {
        clock.advance(Duration.ofSeconds(11));
        JsonNode down = ready(browser, 503);
        assertThat(down.get("status").asText()).isEqualTo("not ready");
        assertThat(down.get("checks").get("ldap").asText()).startsWith("failing");
        assertThat(down.get("checks").get("database").asText()).isEqualTo("ok");
      }
    }
  }
}
