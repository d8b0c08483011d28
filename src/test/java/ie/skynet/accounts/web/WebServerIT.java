package ie.skynet.accounts.web;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.templates.Pages;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared plumbing, over real HTTP, with one form route standing in for the features. */
class WebServerIT {
  private static final byte[] KEY = new byte[32];
  private WebServer server;
  private String base = "";
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  private final List<AuditLog.Entry> audited = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The CSRF cookie's name over plain http (Csrf prefixes it with __Host- behind https). */
  private static final String CSRF_COOKIE = "csrf";

  /** Starts a server on a port of its own choosing (port 0), which {@link #base} then names. */
  private WebServer start(boolean trustForwardedFor, byte[] key) {
    WebServer started =
        new WebServer(
                new WebSettings(
                    "127.0.0.1", 0, URI.create("http://localhost:8080"), trustForwardedFor, true),
                new SecureRandom(),
                key,
                new Pages(),
                List.of(
                    routes -> {
                      routes.get(
                          "/form",
                          ctx ->
                              ctx.html(
                                  "<form><input name=\"csrf\" value=\""
                                      + RequestAttributes.csrfToken(ctx)
                                      + "\"></form>"));
                      routes.post(
                          "/form",
                          ctx -> ctx.result("from " + RequestAttributes.clientAddress(ctx)));
                      routes.get(
                          "/boom",
                          ctx -> {
                            throw new IllegalStateException("secret detail");
                          });
                    }),
                metrics,
                audited::add,
                null)
            .start();
    server = started;
    base = "http://127.0.0.1:" + started.port();
    return started;
  }

  /** A browser at the running server holding this CSRF cookie, as one from before a restart. */
  private Browser withCookie(String cookie) {
    Browser browser = new Browser(base);
    browser.plantCookie(CSRF_COOKIE, cookie);
    return browser;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpRequest.Builder form(Browser browser, String token, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(browser.uri("/form"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("csrf=" + token));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return request;
  }

  private static String token(Browser browser) {
    String page = browser.get("/form").body();
    return page.substring(page.indexOf("value=\"") + 7, page.lastIndexOf('"'));
  }

  @Test
  void formsFromAnotherOriginAreRefusedEvenWithAPlantedCookieAndItsToken() {
    start(false, KEY);
    Browser browser = new Browser(base);
    String token = token(browser);

    assertThat(browser.send(form(browser, token)).statusCode()).isEqualTo(200);
    assertThat(browser.send(form(browser, token, "Origin", "http://localhost:8080")).statusCode())
        .isEqualTo(200);
    // A member's site on a subdomain can plant its own cookie and token pair: its origin shows.
    assertThat(browser.send(form(browser, token, "Origin", "http://evil.skynet.ie")).statusCode())
        .isEqualTo(403);
    assertThat(browser.send(form(browser, token, "Origin", "null")).statusCode()).isEqualTo(403);
    assertThat(browser.send(form(browser, token, "Sec-Fetch-Site", "same-site")).statusCode())
        .isEqualTo(403);
    assertThat(browser.send(form(browser, token, "Sec-Fetch-Site", "same-origin")).statusCode())
        .isEqualTo(200);
    // Each refusal is in the audit log, with where it came from.
    assertThat(audited)
        .hasSize(3)
        .allSatisfy(
            entry -> {
              assertThat(entry.action()).isEqualTo("csrf-refused");
              assertThat(entry.outcome()).isEqualTo(AuditLog.Outcome.REFUSED);
              assertThat(entry.client()).isEqualTo("127.0.0.1");
            });
    assertThat(audited.get(0).detail()).isEqualTo("POST /form from Origin http://evil.skynet.ie");
  }

  /**
   * Regression: Chromium sent these headers with every form while our pages said {@code
   * Referrer-Policy: no-referrer}, and every form was refused. The policy changed, but a member's
   * browser settings can still impose no-referrer, so the exact headers must pass.
   */
  @Test
  void aFormFromOurPageUnderANoReferrerPolicyIsAcceptedAsChromiumSendsIt() {
    start(false, KEY);
    Browser browser = new Browser(base);
    String token = token(browser);

    HttpResponse<String> chromium =
        browser.send(
            form(
                browser,
                token,
                "Origin",
                "null",
                "Sec-Fetch-Site",
                "same-origin",
                "Sec-Fetch-Mode",
                "navigate",
                "Sec-Fetch-Dest",
                "document",
                "Sec-Fetch-User",
                "?1"));
    assertThat(chromium.statusCode()).isEqualTo(200);
    // The opaque origins "null" also stands for: a sandboxed frame, a data: URL. Never ours.
    assertThat(
            browser
                .send(form(browser, token, "Origin", "null", "Sec-Fetch-Site", "cross-site"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            browser
                .send(form(browser, token, "Origin", "null", "Sec-Fetch-Site", "same-site"))
                .statusCode())
        .isEqualTo(403);
    // No Sec-Fetch-Site (an older browser): "null" cannot be told apart, so it is refused.
    assertThat(browser.send(form(browser, token, "Origin", "null")).statusCode()).isEqualTo(403);
  }

  @Test
  void pagesAskBrowsersToNameTheirOriginToUsAndNothingToOtherSites() {
    start(false, KEY);
    HttpResponse<String> page = new Browser(base).get("/form");
    // Under no-referrer, browsers send "Origin: null" with forms; same-origin keeps links'
    // one-time tokens from other sites as well.
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
  }

  @Test
  void formTokensOutliveARestartThatKeepsTheKey() {
    start(false, KEY);
    Browser browser = new Browser(base);
    String token = token(browser);
    String cookie =
        java.util.Objects.requireNonNull(browser.cookie(CSRF_COOKIE), "the form set its cookie");
    server.close();

    // Each restart binds a port of its own (port 0), never the old one found free again; the
    // browser's cookie goes along, as a browser's does to the same host whatever the port.
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    start(false, otherKey);
    Browser sameCookies = withCookie(cookie);
    assertThat(sameCookies.send(form(sameCookies, token)).statusCode())
        .as("another key: the old form is stale")
        .isEqualTo(403);
    server.close();

    start(false, KEY);
    Browser again = withCookie(cookie);
    assertThat(again.send(form(again, token)).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyUrlEncodedFormsAreReadAndLargeOnesAreRefused() {
    start(false, KEY);
    Browser browser = new Browser(base);
    String token = token(browser);
    HttpResponse<String> multipart =
        browser.send(
            HttpRequest.newBuilder(browser.uri("/form"))
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                            + token
                            + "\r\n--x--\r\n")));
    assertThat(multipart.statusCode()).isEqualTo(415);
    HttpResponse<String> large =
        browser.postExactly("/form", Map.of("csrf", token, "padding", "x".repeat(70_000)));
    assertThat(large.statusCode()).isEqualTo(413);
  }

  @Test
  void behindAProxyTheClientIsTheLastHopOfTheLastHeaderLine() {
    start(true, KEY);
    Browser browser = new Browser(base);
    String token = token(browser);
    HttpResponse<String> response =
        browser.send(
            form(
                browser,
                token,
                "X-Forwarded-For",
                "6.6.6.6, 7.7.7.7",
                "X-Forwarded-For",
                "192.0.2.10"));
    assertThat(response.body()).isEqualTo("from 192.0.2.10");
  }

  @Test
  void unknownPagesAndFailuresGetPagesThatShowNoInternals() {
    start(false, KEY);
    Browser browser = new Browser(base);
    HttpResponse<String> missing = browser.get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("<h1>Page not found</h1>");
    HttpResponse<String> boom = browser.get("/boom");
    assertThat(boom.statusCode()).isEqualTo(500);
    assertThat(boom.body())
        .contains("Something went wrong on our side")
        .containsPattern("quote <code>[0-9a-f]{12}</code>")
        .doesNotContain("secret detail")
        .doesNotContain("IllegalStateException");
    assertThat(browser.get("/assets/site.css").headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void everyRequestIsTimedByItsRoutePatternAndStatusNeverItsPath() {
    start(false, KEY);
    Browser browser = new Browser(base);
    browser.get("/form");
    browser.get("/boom");
    browser.get("/no/such/page/0123456789abcdef");

    assertThat(requests("/form", "GET", "200").count()).isEqualTo(1);
    assertThat(requests("/boom", "GET", "500").count()).isEqualTo(1);
    assertThat(requests("unmatched", "GET", "404").count()).isEqualTo(1);
    assertThat(metrics.find("http.server.requests").timers())
        .allSatisfy(t -> assertThat(t.getId().getTag("route")).doesNotContain("0123456789"));
  }

  private Timer requests(String route, String method, String status) {
    return metrics
        .get("http.server.requests")
        .tags("route", route, "method", method, "status", status)
        .timer();
  }
}
