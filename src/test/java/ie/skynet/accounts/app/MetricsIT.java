package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} over real HTTP on the dev stack: scraped before and after a whole signup, the
 * signup and mail counters move, requests are known by their route pattern and never by a path
 * holding a token, and the outbox's backlog goes back to nothing. Values only: never timings.
 */
class MetricsIT {
  private static final String PASSWORD = "correct horse battery staple lime";
  private static final String MEMBER = "aoife.murphy@example.com";

  @TempDir Path data;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private @Nullable Running running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void aSignupMovesTheSignupAndMailCountersAndLeavesNoTokenInAnySeries() throws Exception {
    App app = App.dev(new DevOptions(0, 0, 0, data, null), Map.of(), clock);
    app.database().migrate();
    app.serving().loadDevMembers();
    Running started = app.start();
    running = started;
    String base = "http://127.0.0.1:" + started.port();
    String configuredBase = "http://localhost:" + started.port();
    Browser browser = new Browser(base);

    HttpResponse<String> first = browser.get("/metrics");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(first.headers().allValues("Set-Cookie")).isEmpty(); // a page for machines
    Map<String, Double> before = parse(first.body());
    // dev imported the sample members at start: the import history shows it
    assertThat(before).containsEntry("accounts_import_last_accepted", 1.0);
    assertThat(before).containsEntry("accounts_import_last_age_seconds", 0.0);
    // No sync or housekeeping has run yet; once serve's schedule runs them, their gauges say when
    // and how each ended.
    assertThat(before.get("accounts_sync_last_age_seconds")).isNaN();
    assertThat(before.get("accounts_sync_last_done")).isNaN();
    assertThat(before.get("accounts_housekeeping_last_age_seconds")).isNaN();
    assertThat(before.get("accounts_housekeeping_last_done")).isNaN();
    assertThat(started.jobs().runDue()).isEqualTo(2);
    clock.advance(java.time.Duration.ofMinutes(3));
    Map<String, Double> synced = parse(browser.get("/metrics").body());
    assertThat(synced).containsEntry("accounts_sync_last_done", 1.0);
    assertThat(synced).containsEntry("accounts_sync_last_age_seconds", 180.0);
    assertThat(synced).containsEntry("accounts_housekeeping_last_done", 1.0);
    assertThat(synced).containsEntry("accounts_housekeeping_last_age_seconds", 180.0);

    browser.get("/signup");
    assertThat(browser.post("/signup", "email", MEMBER).statusCode()).isEqualTo(200);
    DevMail verify = mailTo(started, "Choose your Skynet username and password");
    String link = verify.links().get(0).replace(configuredBase, base);
    String token = link.substring(link.lastIndexOf('/') + 1);
    assertThat(browser.get(link).statusCode()).isEqualTo(200);
    HttpResponse<String> done =
        browser.submit(link, "username", "aoife", "password", PASSWORD, "password-again", PASSWORD);
    assertThat(done.body()).contains("Your account is ready");
    mailTo(started, "Welcome to Skynet");

    // The worker marks a mail sent just after the server took it: wait for the backlog to empty.
    String scrape =
        await(
            "the outbox to empty",
            () -> {
              String body = browser.get("/metrics").body();
              Map<String, Double> now = parse(body);
              return now.getOrDefault("accounts_mail_pending", -1.0) == 0
                      && now.getOrDefault("accounts_mail_sending", -1.0) == 0
                      && value(now, "accounts_mail_sent_total") >= 2
                  ? body
                  : null;
            });
    Map<String, Double> after = parse(scrape);

    assertThat(increase(before, after, "accounts_signup_requests_total", "outcome=\"recorded\""))
        .isEqualTo(1);
    assertThat(increase(before, after, "accounts_signup_mails_total", "kind=\"signup-verify\""))
        .isEqualTo(1);
    assertThat(increase(before, after, "accounts_signup_completed_total", "outcome=\"created\""))
        .isEqualTo(1);
    assertThat(increase(before, after, "accounts_mail_queued_total", "template=\"signup-verify\""))
        .isEqualTo(1);
    assertThat(increase(before, after, "accounts_mail_queued_total", "template=\"signup-welcome\""))
        .isEqualTo(1);
    assertThat(increase(before, after, "accounts_mail_sent_total")).isEqualTo(2);
    assertThat(after)
        .containsEntry("accounts_mail_failed_total{retrying=\"false\"}", 0.0)
        .containsEntry("accounts_mail_failed_total{retrying=\"true\"}", 0.0);
    assertThat(after)
        .containsEntry("accounts_mail_pending", 0.0)
        .containsEntry("accounts_mail_sending", 0.0)
        .containsEntry("accounts_mail_oldest_pending_age_seconds", 0.0)
        .containsEntry("accounts_mail_failed_waiting", 0.0);

    // The HTTP timer knows the link's route by its pattern; no series anywhere holds the token.
    assertThat(
            value(
                after,
                "http_server_requests_seconds_count",
                "route=\"/signup/{token}\"",
                "method=\"POST\"",
                "status=\"303\""))
        .isEqualTo(1);
    assertThat(
            value(
                after,
                "http_server_requests_seconds_count",
                "route=\"/signup/{token}\"",
                "method=\"GET\"",
                "status=\"200\""))
        .isEqualTo(1);
    assertThat(scrape).doesNotContain(token).doesNotContain(MEMBER);

    // The account was made in LDAP and both mails went over SMTP, each step timed.
    assertThat(
            value(
                after,
                "accounts_ldap_operations_seconds_count",
                "operation=\"add\"",
                "outcome=\"success\""))
        .isEqualTo(1);
    assertThat(
            value(
                after,
                "accounts_ldap_operations_seconds_count",
                "operation=\"password\"",
                "outcome=\"success\""))
        .isEqualTo(1);
    assertThat(
            value(
                after,
                "accounts_ldap_operations_seconds_count",
                "operation=\"search\"",
                "outcome=\"success\""))
        .isPositive();
    assertThat(value(after, "accounts_smtp_send_seconds_count", "outcome=\"accepted\""))
        .isEqualTo(2);
  }

  @Test
  void anUnknownPathIsCountedAsUnmatchedNotByItsPath() throws Exception {
    App app = App.dev(new DevOptions(0, 0, 0, data, null), Map.of(), clock);
    app.database().migrate();
    Running started = app.start();
    running = started;
    Browser browser = new Browser("http://127.0.0.1:" + started.port());
    assertThat(browser.get("/signup/abc/def-unknown-xyz").statusCode()).isEqualTo(404);
    String scrape = browser.get("/metrics").body();
    assertThat(
            value(
                parse(scrape),
                "http_server_requests_seconds_count",
                "route=\"unmatched\"",
                "status=\"404\""))
        .isEqualTo(1);
    assertThat(scrape).doesNotContain("def-unknown-xyz");
  }

  private DevMail mailTo(Running app, String subject) throws InterruptedException {
    return await(
        subject,
        () ->
            app.dev().mailbox.mails().stream()
                .filter(m -> m.to().equalsIgnoreCase(MEMBER) && m.subject().equals(subject))
                .findFirst()
                .orElse(null));
  }

  private static <T> T await(String what, Supplier<@Nullable T> probe) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** Each sample line of the text format: series (name and labels as written) to value. */
  private static Map<String, Double> parse(String scrape) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** The sum over the series of this name that carry every one of these labels (0 if none). */
  private static double value(Map<String, Double> samples, String name, String... labels) {
    double sum = 0;
    for (Map.Entry<String, Double> sample : samples.entrySet()) {
      String series = sample.getKey();
      String seriesName = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (seriesName.equals(name) && List.of(labels).stream().allMatch(series::contains)) {
        sum += sample.getValue();
      }
    }
    return sum;
  }

  private static double increase(
      Map<String, Double> before, Map<String, Double> after, String name, String... labels) {
    return value(after, name, labels) - value(before, name, labels);
  }
}
