package ie.skynet.accounts.membership;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Wolves API's list of members, read whole: every page, each retried on a 5xx answer or a
 * network failure, before anything is imported. Paging: with {@code wolves.page-size} M above 0,
 * page N is asked for with {@code ?page=N&page_size=M}; the answer's {@code pages} field says how
 * many pages there are, and an answer without it is the only page (as the Wolves API answers, which
 * does not page).
 */
public final class WolvesApi {
  private static final Logger log = LoggerFactory.getLogger(WolvesApi.class);

  /** Waits between attempts: injected, so that tests do not sleep. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration delay) throws InterruptedException;
  }

  public static final Pause SLEEP = delay -> Thread.sleep(delay.toMillis());

  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  /** A list longer than this many pages is a server that pages forever, not a society. */
  static final int MAX_PAGES = 10_000;

  /** One answer larger than this is not a page of members: 100,000 members are about 25 MB. */
  static final int MAX_ANSWER_BYTES = 64 << 20;

  private final WolvesApiSettings settings;
  private final Pause pause;
  private final ObjectReader json =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build()
          .reader();

  public WolvesApi(WolvesApiSettings settings, Pause pause) {
    this.settings = settings;
    this.pause = pause;
  }

  /**
   * The endpoint as the import history records it: scheme, host, port and path only. The key
   * travels in a header, but a query or user part could carry a secret too, and the history is
   * shown on the admin pages.
   */
  public String source() {
    URI endpoint = settings.endpoint();
    return endpoint.getScheme()
        + "://"
        + endpoint.getHost()
        + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
        + java.util.Objects.requireNonNullElse(endpoint.getRawPath(), "");
  }

  /** One answer's envelope, checked. */
  private record Page(List<JsonNode> members, @Nullable Integer pages) {}

  /**
   * What doctor learns from one request for a page of one member.
   *
   * @param members how many the API lists, when its answer says (it pages); else null
   * @param onPage how many members the answer held
   * @param took how long the answer took
   */
  public record Probe(@Nullable Integer members, int onPage, Duration took) {}

  /**
   * Asks once, without retrying, for the first page of one member: the key is accepted when this
   * returns.
   *
   * @throws WolvesApiException on any failure, {@link WolvesApiException.Kind#KEY_REFUSED} for the
   *     key
   */
  public Probe probe() {
    long start = System.nanoTime();
    try (HttpClient client = client()) {
      int size = settings.pageSize() > 0 ? 1 : 0;
      Page page = page(client, 1, size, 0, null);
      return new Probe(
          size > 0 ? page.pages() : null,
          page.members().size(),
          Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /**
   * Every page of the list, then its members as rows for the import core.
   *
   * @throws WolvesApiException when any page cannot be had: then nothing is imported
   */
  FetchedMembers fetchMembers() {
    MessageDigest digest = sha256();
    List<JsonNode> members = new ArrayList<>();
    try (HttpClient client = client()) {
      int pages = 1;
      for (int number = 1; number <= pages; number++) {
        Page page = page(client, number, settings.pageSize(), settings.retries(), digest);
        if (number == 1) {
          pages = page.pages() == null ? 1 : page.pages();
          if (pages > 1 && settings.pageSize() == 0) {
            throw bad(
                "the Wolves API pages its list ("
                    + pages
                    + " pages) but wolves.page-size is 0, so no page after the first can be asked"
                    + " for; set wolves.page-size, e.g. to 500");
          }
        } else if (page.pages() == null || page.pages() != pages) {
          throw bad(
              "the list changed while it was read: page 1 said "
                  + pages
                  + " pages, page "
                  + number
                  + " says "
                  + (page.pages() == null ? "nothing" : page.pages())
                  + "; run again");
        }
        members.addAll(page.members());
      }
    }
    return rows(members, HexFormat.of().formatHex(digest.digest()));
  }

  private FetchedMembers rows(List<JsonNode> members, String sha256) {
    WolvesApiSettings.Fields fields = settings.fields();
    List<String> names = fields.member();
    List<Reject> problems = new ArrayList<>();
    if (!members.isEmpty() && members.get(0).isObject()) {
      // A renamed field would otherwise be one reject per member, all saying the same.
      JsonNode first = members.get(0);
      for (String required : List.of(fields.id(), fields.email(), fields.expiry())) {
        if (!first.has(required)) {
          problems.add(
              new Reject(
                  1,
                  null,
                  required,
                  "the Wolves API's members have no field "
                      + MemberRowValidator.quote(required)
                      + "; expected the fields "
                      + String.join(", ", names)
                      + " (wolves.field.*), found "
                      + String.join(", ", fieldNames(first))));
        }
      }
    }
    List<FetchedMembers.Row> rows = new ArrayList<>(members.size());
    long position = 0;
    for (JsonNode member : members) {
      position++;
      String[] values = new String[names.size()];
      List<Reject> rowProblems = new ArrayList<>(0);
      if (!member.isObject()) {
        rowProblems.add(
            new Reject(
                position, null, null, "expected a member as a JSON object, found " + kind(member)));
        Arrays.fill(values, "");
      } else {
        for (int i = 0; i < names.size(); i++) {
          JsonNode value = member.get(names.get(i));
          if (value == null || value.isNull()) {
            values[i] = "";
          } else if (value.isTextual() || value.isNumber()) {
            values[i] = value.asText();
          } else {
            values[i] = "";
            rowProblems.add(
                new Reject(position, null, names.get(i), "expected text, found " + kind(value)));
          }
        }
      }
      rows.add(new FetchedMembers.Row(position, values, rowProblems));
    }
    return new FetchedMembers(source(), sha256, names, rows, problems);
  }

  /** One page, with up to {@code retries} more attempts; its body goes into {@code digest}. */
  private Page page(
      HttpClient client, int number, int size, int retries, @Nullable MessageDigest digest) {
    URI uri = settings.endpoint();
    if (size > 0) {
      uri =
          URI.create(
              uri
                  + (uri.getRawQuery() == null ? "?" : "&")
                  + WolvesApiSettings.PAGE_PARAMETER
                  + "="
                  + number
                  + "&"
                  + WolvesApiSettings.PAGE_SIZE_PARAMETER
                  + "="
                  + size);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(settings.timeout())
            .header(settings.keyHeader(), settings.key())
            .header("Accept", "application/json")
            .method(settings.method(), HttpRequest.BodyPublishers.noBody())
            .build();
    for (int attempt = 1; ; attempt++) {
      String problem;
      try {
        HttpResponse<byte[]> response = exchange(client, request);
        int status = response.statusCode();
        if (status == 200) {
          byte[] bytes = response.body();
          if (bytes.length > MAX_ANSWER_BYTES) {
            throw bad(
                "the Wolves API's answer for page "
                    + number
                    + " is larger than "
                    + (MAX_ANSWER_BYTES >> 20)
                    + " MB; expected a page of members (lower wolves.page-size)");
          }
          if (digest != null) {
            digest.update(bytes);
          }
          return parse(bytes, number);
        }
        if (status == 401 || status == 403) {
          throw new WolvesApiException(
              WolvesApiException.Kind.KEY_REFUSED,
              "the Wolves API refused the key from "
                  + settings.keySource()
                  + " (HTTP "
                  + status
                  + " from "
                  + source()
                  + "): expected the society's current API key, sent in the header "
                  + settings.keyHeader()
                  + " (wolves.api-key-header); check the key with the Wolves admin, and that the"
                  + " file holds only the key");
        }
        if (status != 429 && status < 500) {
          throw bad(
              "the Wolves API answered HTTP "
                  + status
                  + " for page "
                  + number
                  + " from "
                  + source()
                  + "; expected 200"
                  + response
                      .headers()
                      .firstValue("Location")
                      .map(to -> " (it redirects to " + to + ": set wolves.api-url to that)")
                      .orElse(" (check wolves.api-url and wolves.api-method)"));
        }
        problem = "HTTP " + status;
      } catch (HttpTimeoutException e) {
        problem = "no whole answer within " + settings.timeout().toSeconds() + " s";
      } catch (ConnectException e) {
        problem = "cannot connect (" + message(e) + ")";
      } catch (IOException e) {
        problem = "network failure (" + message(e) + ")";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WolvesApiException(
            WolvesApiException.Kind.UNAVAILABLE,
            "interrupted while reading page " + number + " from the Wolves API",
            e);
      }
      if (attempt > retries) {
        throw new WolvesApiException(
            WolvesApiException.Kind.UNAVAILABLE,
            "the Wolves API gave no usable answer for page "
                + number
                + " from "
                + source()
                + " after "
                + attempt
                + (attempt == 1 ? " attempt" : " attempts")
                + "; the last: "
                + problem);
      }
      Duration delay = delay(attempt);
      log.warn(
          "Wolves API, page {} from {}: {}; trying again in {} s",
          number,
          source(),
          problem,
          delay.toSeconds());
      try {
        pause.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WolvesApiException(
            WolvesApiException.Kind.UNAVAILABLE,
            "interrupted while waiting to ask the Wolves API again",
            e);
      }
    }
  }

  /** Exponential backoff: 1 s, 2 s, 4 s… up to 30 s. */
  static Duration delay(int attempt) {
    Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(attempt - 1, 16));
    return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
  }

  /**
   * One request and its whole answer, within the timeout: the client's own timeout ends at the
   * answer's headers, and a server that stalls mid-body must not hold the schedule's thread.
   */
  private HttpResponse<byte[]> exchange(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return pending.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException("no whole answer");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  private Page parse(byte[] body, int number) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonEOFException e) {
      throw bad(
          "the Wolves API's answer for page "
              + number
              + " ends early, at "
              + where(e.getLocation())
              + " of "
              + body.length
              + " bytes: it is truncated; expected a whole JSON object ("
              + e.getOriginalMessage()
              + ")");
    } catch (JsonProcessingException e) {
      throw bad(
          "malformed JSON from the Wolves API on page "
              + number
              + " at "
              + where(e.getLocation())
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw bad("reading the answer for page " + number + " failed: " + message(e));
    }
    WolvesApiSettings.Fields fields = settings.fields();
    if (root == null || root.isMissingNode()) {
      throw bad(
          "the Wolves API's answer for page "
              + number
              + " is empty; expected a JSON object with "
              + fields.success()
              + " and "
              + fields.result());
    }
    if (!root.isObject()) {
      throw bad(
          "the Wolves API's answer for page "
              + number
              + " is "
              + kind(root)
              + "; expected a JSON object with "
              + fields.success()
              + " and "
              + fields.result());
    }
    JsonNode success = root.get(fields.success());
    if (success == null) {
      throw bad(
          "the Wolves API's answer for page "
              + number
              + " has no field "
              + MemberRowValidator.quote(fields.success())
              + " (wolves.field.success); expected it to be 1, found the fields "
              + String.join(", ", fieldNames(root)));
    }
    if (!(success.isIntegralNumber() && success.asLong() == 1)
        && !(success.isTextual() && success.asText().equals("1"))) {
      throw bad(
          "the Wolves API answered "
              + fields.success()
              + " = "
              + success
              + " for page "
              + number
              + "; expected 1: it did not give the list (is the key this society's, with the"
              + " right to read its members?)");
    }
    JsonNode result = root.get(fields.result());
    if (result == null || !result.isArray()) {
      throw bad(
          "the Wolves API's answer for page "
              + number
              + " has "
              + (result == null ? "no field " : kind(result) + " as ")
              + MemberRowValidator.quote(fields.result())
              + " (wolves.field.result); expected the list of members, as a JSON array");
    }
    JsonNode pagesNode = root.get(fields.pages());
    Integer pages = null;
    if (pagesNode != null && !pagesNode.isNull()) {
      if (!pagesNode.canConvertToInt()
          || !pagesNode.isIntegralNumber()
          || pagesNode.asInt() < 1
          || pagesNode.asInt() > MAX_PAGES) {
        throw bad(
            "the Wolves API's answer for page "
                + number
                + " says "
                + fields.pages()
                + " = "
                + pagesNode
                + "; expected a whole number of pages from 1 to "
                + MAX_PAGES);
      }
      pages = pagesNode.asInt();
    }
    List<JsonNode> members = new ArrayList<>(result.size());
    result.forEach(members::add);
    return new Page(members, pages);
  }

  private static String where(@Nullable JsonLocation location) {
    if (location == null) {
      return "an unknown place";
    }
    long offset =
        location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
    return "line "
        + location.getLineNr()
        + ", column "
        + location.getColumnNr()
        + (offset >= 0 ? " (byte " + offset + ")" : "");
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = object.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case BOOLEAN -> "a boolean (" + node + ")";
      case NUMBER -> "a number (" + node + ")";
      case STRING -> "a string";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static WolvesApiException bad(String message) {
    return new WolvesApiException(WolvesApiException.Kind.BAD_ANSWER, message);
  }

  private HttpClient client() {
    // Redirects are not followed: the key would go along to wherever they point.
    return HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
