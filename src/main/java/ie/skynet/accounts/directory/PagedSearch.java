package ie.skynet.accounts.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every entry of a search, asked for a page at a time on one connection (a page's cookie is good
 * only on the connection that got it). A directory answers a plain search with at most its size
 * limit (500 in Debian's slapd); slapd holds paged searches to it too, across pages, unless the
 * service's bind is given none ({@code deploy/ldap/limits.ldif}).
 */
public final class PagedSearch {
  /** Under slapd's default size limit, so that a page alone never exceeds it. */
  public static final int PAGE_SIZE = 400;

  private PagedSearch() {}

  /**
   * @param search what to search for; its controls are replaced, page by page
   * @throws LDAPException with {@code SIZE_LIMIT_EXCEEDED} when the server stops the search part
   *     way; the entries before that have been given to {@code each}
   */
  public static void run(
      LDAPConnection connection, SearchRequest search, Consumer<SearchResultEntry> each)
      throws LDAPException {
    ASN1OctetString cookie = null;
    do {
      SearchRequest request = search.duplicate();
      request.setControls(new SimplePagedResultsControl(PAGE_SIZE, cookie));
      SearchResult page = connection.search(request);
      List<SearchResultEntry> entries = page.getSearchEntries();
      if (entries != null) {
        entries.forEach(each);
      }
      SimplePagedResultsControl next = SimplePagedResultsControl.get(page);
      cookie = next == null || next.getCookie().getValueLength() == 0 ? null : next.getCookie();
    } while (cookie != null);
  }
}
