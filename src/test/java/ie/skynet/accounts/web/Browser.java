package ie.skynet.accounts.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A browser without JavaScript, over real HTTP: it keeps cookies, follows no redirects, and posts
 * forms with the CSRF token of the last page it loaded, as a person clicking through would.
 */
public final class Browser {
  /** What browsers ask for when following a link: Javalin answers such requests differently. */
  private static final String ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8";

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

  private final String base;
  private final HttpClient client;
  private final CookieManager cookies = new CookieManager();
  private String csrf = "";

  public Browser(String base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  public HttpResponse<String> get(String pathOrUrl) {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).header("Accept", ACCEPT).GET());
  }

  /** The value of one of this browser's cookies, or null. */
  public @Nullable String cookie(String name) {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals(name))
        .map(java.net.HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  /** Sets a cookie as if a site had planted it. */
  public void plantCookie(String name, String value) {
    java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
    cookie.setPath("/");
    cookie.setVersion(0);
    cookies.getCookieStore().add(uri("/"), cookie);
  }

  /** Sends a request as built, with this browser's cookies. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    return sendAndRead(request);
  }

  /** Posts the fields, with the CSRF token of the last page loaded. */
  public HttpResponse<String> post(String pathOrUrl, String... nameValuePairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("csrf", csrf);
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      fields.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return postExactly(pathOrUrl, fields);
  }

  /**
   * Posts the fields as {@link #post} does and, when the answer is a redirect (303 See Other),
   * loads the page it names as a browser does: what a member sees after a form that worked.
   */
  public HttpResponse<String> submit(String pathOrUrl, String... nameValuePairs) {
    HttpResponse<String> response = post(pathOrUrl, nameValuePairs);
    if (response.statusCode() != 303) {
      return response;
    }
    String location = response.headers().firstValue("Location").orElseThrow();
    return get(response.uri().resolve(location).toString());
  }

  /** Posts exactly these fields: no CSRF token unless one is among them. */
  public HttpResponse<String> postExactly(String pathOrUrl, Map<String, String> fields) {
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri(pathOrUrl))
            .header("Accept", ACCEPT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
  }

  private HttpResponse<String> sendAndRead(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Matcher matcher = CSRF.matcher(response.body());
      if (matcher.find()) {
        csrf = matcher.group(1);
      }
      return response;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
