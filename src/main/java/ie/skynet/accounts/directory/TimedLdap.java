package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedRequest;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The operations {@link LdapDirectory} makes on its pool, each timed: {@code
 * accounts.ldap.operations}, tagged with the operation (search, add, modify, delete, compare,
 * password, bind) and its outcome ({@code success} or the LDAP result code's name, such as {@code
 * invalid_credentials}; a connection failure is one of those too).
 */
final class TimedLdap {
  private final LDAPConnectionPool pool;
  private final MeterRegistry metrics;

  TimedLdap(LDAPConnectionPool pool, MeterRegistry metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  @FunctionalInterface
  private interface Operation<T extends @Nullable Object> {
    T run() throws LDAPException;
  }

  SearchResult search(String base, SearchScope scope, Filter filter, String... attributes)
      throws LDAPException {
    return timed("search", () -> pool.search(base, scope, filter, attributes));
  }

  /** A {@link PagedSearch} on one connection of the pool, timed as one search. */
  void searchPages(SearchRequest search, Consumer<SearchResultEntry> each) throws LDAPException {
    LDAPConnection connection = pool.getConnection();
    boolean broken = false;
    try {
      this.<@Nullable Object>timed(
          "search",
          () -> {
            PagedSearch.run(connection, search, each);
            return null;
          });
    } catch (LDAPException e) {
      broken = !e.getResultCode().isConnectionUsable();
      throw e;
    } finally {
      if (broken) {
        pool.releaseDefunctConnection(connection);
      } else {
        pool.releaseConnection(connection);
      }
    }
  }

  @Nullable SearchResultEntry getEntry(String dn, String... attributes) throws LDAPException {
    return this.<@Nullable SearchResultEntry>timed("search", () -> pool.getEntry(dn, attributes));
  }

  LDAPResult add(Entry entry) throws LDAPException {
    return timed("add", () -> pool.add(entry));
  }

  LDAPResult modify(String dn, Modification... changes) throws LDAPException {
    return timed("modify", () -> pool.modify(dn, changes));
  }

  LDAPResult delete(String dn) throws LDAPException {
    return timed("delete", () -> pool.delete(dn));
  }

  /** Whether the entry holds the value; refused (an exception) when the service may not compare. */
  boolean compare(String dn, String attribute, String value) throws LDAPException {
    return timed("compare", () -> pool.compare(dn, attribute, value).compareMatched());
  }

  /** Password Modify, the only extended operation made after connecting. */
  ExtendedResult password(ExtendedRequest request) throws LDAPException {
    return timed("password", () -> pool.processExtendedOperation(request));
  }

  LDAPResult bindAndRevertAuthentication(String dn, String password) throws LDAPException {
    return timed("bind", () -> pool.bindAndRevertAuthentication(dn, password));
  }

  private <T extends @Nullable Object> T timed(String operation, Operation<T> call)
      throws LDAPException {
    Timer.Sample sample = Timer.start(metrics);
    String outcome = "error";
    try {
      T result = call.run();
      outcome = result instanceof LDAPResult r ? outcome(r.getResultCode()) : "success";
      return result;
    } catch (LDAPException e) {
      outcome = outcome(e.getResultCode());
      throw e;
    } finally {
      sample.stop(
          Timer.builder("accounts.ldap.operations")
              .description("LDAP operations of the service, by operation and outcome")
              .tag("operation", operation)
              .tag("outcome", outcome)
              .register(metrics));
    }
  }

  private static String outcome(ResultCode code) {
    return code == ResultCode.SUCCESS ? "success" : code.getName().replace(' ', '_');
  }
}
