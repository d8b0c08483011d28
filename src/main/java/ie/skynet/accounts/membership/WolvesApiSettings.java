package ie.skynet.accounts.membership;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the Wolves API, the second source of memberships ({@code accounts sync-wolves}).
 *
 * @param url the members endpoint; null when the API is not configured (imports then come from
 *     {@code import-csv} only)
 * @param method the HTTP method the endpoint answers to (GET or POST)
 * @param keyHeader the request header that carries the key
 * @param key the society's API key: never logged, never printed
 * @param keySource where the key was read from, for the message when the API refuses it
 * @param pageSize members asked for per page; 0 asks for no paging at all
 * @param timeout for connecting and for each answer
 * @param retries attempts after the first, on a 5xx answer or a network failure
 */
public record WolvesApiSettings(
    @Nullable URI url,
    String method,
    String keyHeader,
    String key,
    String keySource,
    Fields fields,
    int pageSize,
    Duration timeout,
    int retries) {

  /** The query parameters that ask for one page: {@code ?page=N&page_size=M}, N from 1. */
  public static final String PAGE_PARAMETER = "page";

  public static final String PAGE_SIZE_PARAMETER = "page_size";

  /**
   * The names of the fields of the API's answer: its envelope, and the members in it.
   *
   * @param id the member ID, the same ID as the CSV export's Member ID column, so that both sources
   *     update the same rows
   * @param pages the envelope's count of pages; an answer without it is the only page
   */
  public record Fields(
      String success,
      String result,
      String pages,
      String id,
      String studentNumber,
      String firstName,
      String lastName,
      String email,
      String expiry) {

    /** As the Wolves API names them. */
    public static final Fields WOLVES_DEFAULTS =
        new Fields(
            "success",
            "result",
            "pages",
            "member_id",
            "student_id",
            "first_name",
            "last_name",
            "contact_email",
            "expiry");

    /** The members' fields, in the order of {@link MemberRowValidator.Layout}. */
    List<String> member() {
      return List.of(id, studentNumber, firstName, lastName, email, expiry);
    }
  }

  /** Settings with no API: {@code sync-wolves} refuses to run and doctor says so. */
  public static final WolvesApiSettings NOT_CONFIGURED =
      new WolvesApiSettings(
          null,
          "POST",
          "X-AM-Identity",
          "",
          "nowhere",
          Fields.WOLVES_DEFAULTS,
          500,
          Duration.ofSeconds(30),
          3);

  public boolean configured() {
    return url != null;
  }

  /** The URL, for callers that checked {@link #configured()}. */
  public URI endpoint() {
    if (url == null) {
      throw new IllegalStateException("the Wolves API is not configured (wolves.api-url)");
    }
    return url;
  }

  @Override
  public String toString() {
    // The key stays out: records print every component, and settings end up in logs.
    return "WolvesApiSettings["
        + (url == null ? "not configured" : method + " " + url)
        + ", key in header "
        + keyHeader
        + " from "
        + keySource
        + ", page size "
        + pageSize
        + ", timeout "
        + timeout
        + ", retries "
        + retries
        + "]";
  }
}
