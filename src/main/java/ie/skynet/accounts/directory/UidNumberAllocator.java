package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.security.SecureRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands out uidNumbers from a counter entry with compare-and-swap: one modify request deletes the
 * value read and adds the next, which the server applies atomically or not at all. Another instance
 * taking the same number makes the delete fail with {@code NO_SUCH_ATTRIBUTE}, and this one reads
 * again. Works across any number of service instances sharing the directory.
 */
final class UidNumberAllocator {
  private static final String ATTRIBUTE = "uidNumber";
  private static final int MAX_ATTEMPTS = 200;

  private final LDAPInterface ldap;
  private final DN counter;
  private final AccessRights rights;
  private final SecureRandom random = new SecureRandom();

  UidNumberAllocator(LDAPInterface ldap, DN counter, AccessRights rights) {
    this.ldap = ldap;
    this.counter = counter;
    this.rights = rights;
  }

  int next() {
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      int current = read();
      try {
        ldap.modify(
            counter.toString(),
            new Modification(ModificationType.DELETE, ATTRIBUTE, Integer.toString(current)),
            new Modification(ModificationType.ADD, ATTRIBUTE, Integer.toString(current + 1)));
        return current;
      } catch (LDAPException e) {
        if (e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE) {
          throw new DirectoryException(
              "updating the uidNumber counter " + counter + " failed",
              e,
              rights.lacking(e, "write access to uidNumber of " + counter));
        }
        // Lost the race: back off a little, at random, so racers spread out.
        LockSupport.parkNanos(random.nextInt(1_000_000) * (long) Math.min(attempt, 20));
      }
    }
    throw new DirectoryException(
        "no uidNumber after "
            + MAX_ATTEMPTS
            + " attempts: the counter "
            + counter
            + " is contended",
        ResultCode.BUSY);
  }

  private int read() {
    SearchResultEntry entry;
    try {
      entry = ldap.getEntry(counter.toString(), ATTRIBUTE);
    } catch (LDAPException e) {
      throw new DirectoryException(
          "reading the uidNumber counter " + counter + " failed",
          e,
          rights.lacking(e, "read access to uidNumber of " + counter));
    }
    Integer value = entry == null ? null : entry.getAttributeValueAsInteger(ATTRIBUTE);
    if (value == null) {
      throw new DirectoryException(
          "the uidNumber counter "
              + counter
              + " is missing, has no single numeric uidNumber, or may not be read by the service;"
              + " create it with the next free"
              + " uidNumber",
          ResultCode.NO_SUCH_OBJECT);
    }
    return value;
  }
}
