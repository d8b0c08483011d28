package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sshPublicKey} values of accounts, and the {@code ldapPublicKey} class that allows
 * them. The original openssh-lpk schema, still the most common, makes the key a MUST of the class,
 * so an entry holds the class exactly while it holds a key: it gains it with its first key, in the
 * same change, and loses it with its last. That suits the later schema (key a MAY) as well.
 *
 * <p>Each change reads the entry first, to know whether the class comes or goes. Two changes racing
 * on one entry can make the server refuse the later one (the class added twice, or taken away under
 * a key just added); it is read again and tried again, three times in all.
 */
final class SshKeyEntries {
  static final String ATTRIBUTE = "sshPublicKey";
  static final String OBJECT_CLASS = "ldapPublicKey";

  private final TimedLdap ldap;
  private final AccessRights rights;

  SshKeyEntries(TimedLdap ldap, AccessRights rights) {
    this.ldap = ldap;
    this.rights = rights;
  }

  private record Current(boolean hasClass, List<String> keys) {}

  @FunctionalInterface
  private interface Plan {
    /** The changes to make from what the entry holds; none when there is nothing to do. */
    List<Modification> changes(Current current);
  }

  /**
   * @return false if the account already had exactly this value
   */
  boolean add(String username, DN dn, String line) {
    return change(
        "adding an SSH key to " + username,
        dn,
        current -> {
          if (current.keys().contains(line)) {
            return List.of();
          }
          List<Modification> changes = new ArrayList<>();
          if (!current.hasClass()) {
            changes.add(new Modification(ModificationType.ADD, "objectClass", OBJECT_CLASS));
          }
          changes.add(new Modification(ModificationType.ADD, ATTRIBUTE, line));
          return changes;
        });
  }

  /**
   * @return false if the account had no such value
   */
  boolean remove(String username, DN dn, String line) {
    return change(
        "removing an SSH key from " + username,
        dn,
        current -> {
          if (!current.keys().contains(line)) {
            return List.of();
          }
          List<Modification> changes = new ArrayList<>();
          changes.add(new Modification(ModificationType.DELETE, ATTRIBUTE, line));
          if (current.keys().size() == 1 && current.hasClass()) {
            changes.add(new Modification(ModificationType.DELETE, "objectClass", OBJECT_CLASS));
          }
          return changes;
        });
  }

  /** Every value replaced by these, in one change; none removes them all, and the class. */
  void replace(String username, DN dn, List<String> lines) {
    change(
        "setting the SSH keys of " + username,
        dn,
        current -> {
          List<Modification> changes = new ArrayList<>();
          if (lines.isEmpty()) {
            if (!current.keys().isEmpty()) {
              changes.add(new Modification(ModificationType.DELETE, ATTRIBUTE));
            }
            if (current.hasClass()) {
              changes.add(new Modification(ModificationType.DELETE, "objectClass", OBJECT_CLASS));
            }
            return changes;
          }
          if (!current.hasClass()) {
            changes.add(new Modification(ModificationType.ADD, "objectClass", OBJECT_CLASS));
          }
          changes.add(
              new Modification(ModificationType.REPLACE, ATTRIBUTE, lines.toArray(String[]::new)));
          return changes;
        });
  }

  /**
   * @return whether anything was changed
   */
  private boolean change(String doing, DN dn, Plan plan) {
    for (int attempt = 1; ; attempt++) {
      List<Modification> changes = plan.changes(read(doing, dn));
      if (changes.isEmpty()) {
        return false;
      }
      try {
        ldap.modify(dn.toString(), changes.toArray(Modification[]::new));
        return true;
      } catch (LDAPException e) {
        ResultCode code = e.getResultCode();
        boolean raced =
            code == ResultCode.ATTRIBUTE_OR_VALUE_EXISTS
                || code == ResultCode.NO_SUCH_ATTRIBUTE
                || code == ResultCode.OBJECT_CLASS_VIOLATION;
        if (!raced || attempt == 3) {
          throw new DirectoryException(
              doing + " failed",
              e,
              rights.lacking(e, "write access to " + ATTRIBUTE + " and objectClass of " + dn));
        }
      }
    }
  }

  private Current read(String doing, DN dn) {
    try {
      SearchResultEntry entry = ldap.getEntry(dn.toString(), "objectClass", ATTRIBUTE);
      if (entry == null) {
        throw new DirectoryException(
            doing + " failed: there is no entry " + dn, ResultCode.NO_SUCH_OBJECT);
      }
      String[] keys = entry.getAttributeValues(ATTRIBUTE);
      return new Current(
          entry.hasObjectClass(OBJECT_CLASS), keys == null ? List.of() : List.of(keys));
    } catch (LDAPException e) {
      throw new DirectoryException(doing + " failed: its entry cannot be read", e);
    }
  }
}
