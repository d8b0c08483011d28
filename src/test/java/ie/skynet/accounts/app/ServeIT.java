package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.web.Browser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accounts serve}: configured dependencies only, and nothing of dev's. */
class ServeIT {
  @TempDir Path dir;
  private InMemoryDirectoryServer ldap;

  @BeforeEach
  void startDirectory() throws Exception {
    ldap = TestDirectories.start();
  }

  @AfterEach
  void stopDirectory() {
    ldap.shutDown(true);
  }

  private Map<String, String> environment(String baseUrl) {
    return Map.of(
        "ACCOUNTS_DATABASE_URL",
        "jdbc:sqlite:" + dir.resolve("accounts.db"),
        "ACCOUNTS_WEB_PORT",
        "0",
        "ACCOUNTS_WEB_BASE_URL",
        baseUrl,
        "ACCOUNTS_LDAP_HOST",
        "127.0.0.1",
        "ACCOUNTS_LDAP_PORT",
        Integer.toString(ldap.getListenPort()),
        "ACCOUNTS_LDAP_SECURITY",
        "none",
        "ACCOUNTS_LDAP_BIND_PASSWORD",
        TestDirectories.ADMIN_PASSWORD);
  }

  /**
   * No settings beyond the environment's. Named, because without a file the service reads an {@code
   * accounts.conf} in the working folder, which must not change what a test finds.
   */
  private Path emptyConfig() throws IOException {
    return Files.writeString(dir.resolve("empty.conf"), "");
  }

  @Test
  void serveWithoutTheLdapPasswordIsAConfigurationError() {
    Cli.Result result =
        Cli.run(
            Map.of("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("accounts.db")), "serve");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("ldap.bind-password: expected the password of ldap.bind-dn");
  }

  @Test
  void serveHasNoDevRoutes() throws IOException {
    App app = App.open(emptyConfig(), environment("http://localhost:8080"));
    app.database().migrate();
    try (Running running = app.start()) {
      Browser browser = new Browser("http://127.0.0.1:" + running.port());
      assertThat(browser.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(browser.get("/signup").statusCode()).isEqualTo(200);
      assertThat(browser.get("/dev/mail").statusCode()).isEqualTo(404);
      assertThat(browser.get("/dev/mail.json").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void behindHttpsCookiesAreSecureAndHostOnlyAndHstsIsSent() throws IOException {
    App app = App.open(emptyConfig(), environment("https://accounts.skynet.ie"));
    app.database().migrate();
    try (Running running = app.start()) {
      HttpResponse<String> page = new Browser("http://127.0.0.1:" + running.port()).get("/signup");
      assertThat(page.headers().firstValue("Strict-Transport-Security"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("max-age="));
      assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
          .startsWith("__Host-csrf=")
          .contains("Secure")
          .contains("HttpOnly")
          .contains("SameSite=Lax")
          .doesNotContain("Domain");
    }
  }
}
