package ie.skynet.accounts.ops;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import ie.skynet.accounts.directory.DirectoryException;
import ie.skynet.accounts.directory.DirectorySettings;
import ie.skynet.accounts.directory.LdapDirectory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Every right the service uses on the directory, each proved by using it on a probe account made
 * for the purpose and removed at once: add an entry under the users, set its password, give it a
 * key, put it in the members group and take it out, remove it. And the schema those entries need.
 * Access rules are per attribute and per entry, so a right shown on one entry proves nothing of
 * another; the probe is an account like a member's, where a member's account would be.
 */
final class DirectoryRightsProbe {
  private static final String PROBE_PREFIX = "accounts-doctor-probe-";
  private static final String ACCESS_RULES = "deploy/ldap/access.ldif or access.conf";
  private static final String PROBE_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHByb2JlIGtleSBvZiBhY2NvdW50cyBkb2N0b3IgISE= doctor";

  private final DirectorySettings settings;
  private final SecureRandom random;

  DirectoryRightsProbe(DirectorySettings settings, SecureRandom random) {
    this.settings = settings;
    this.random = random;
  }

  void check(LDAPConnection connection, List<CheckResult> out) {
    schema(connection, out);
    rights(connection, out);
  }

  private void schema(LDAPConnection connection, List<CheckResult> out) {
    Schema schema;
    try {
      schema = connection.getSchema();
    } catch (LDAPException e) {
      out.add(
          CheckResult.failed(
              "ldap schema",
              "reading the schema failed: " + DirectoryException.describe(e),
              "The service's account must be able to read the subschema entry."));
      return;
    }
    if (schema == null) {
      out.add(CheckResult.skipped("ldap schema", "the server publishes no schema"));
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String objectClass :
        List.of("inetOrgPerson", "posixAccount", "posixGroup", "ldapPublicKey")) {
      if (schema.getObjectClass(objectClass) == null) {
        missing.add("object class " + objectClass);
      }
    }
    for (String attribute : List.of(settings.wolvesIdAttribute(), "sshPublicKey", "memberUid")) {
      if (schema.getAttributeType(attribute) == null) {
        missing.add("attribute " + attribute);
      }
    }
    if (!missing.isEmpty()) {
      out.add(
          CheckResult.failed(
              "ldap schema",
              "the directory's schema lacks " + String.join(", ", missing),
              "Load the nis (RFC 2307) and openssh-lpk schemas (deploy/ldap/schema/), or correct"
                  + " ldap.wolves-id-attribute."));
    } else {
      ObjectClassDefinition lpk = schema.getObjectClass("ldapPublicKey");
      AttributeTypeDefinition key = schema.getAttributeType("sshPublicKey");
      boolean keyRequired =
          lpk != null && key != null && lpk.getRequiredAttributes(schema, true).contains(key);
      out.add(
          CheckResult.ok(
              "ldap schema",
              "inetOrgPerson, posixAccount, posixGroup, "
                  + settings.wolvesIdAttribute()
                  + " and ldapPublicKey present; "
                  + (keyRequired
                      ? "ldapPublicKey requires a key (the original openssh-lpk), so accounts get"
                          + " it with their first key"
                      : "ldapPublicKey allows a key (sshPublicKey is a MAY)")));
    }
    discord(schema, out);
  }

  private void discord(Schema schema, List<CheckResult> out) {
    String attribute = settings.discordAttribute();
    if (attribute == null) {
      out.add(CheckResult.skipped("ldap discord", "ldap.discord-attribute is empty: not offered"));
    } else if (schema.getAttributeType(attribute) == null) {
      out.add(
          CheckResult.warn(
              "ldap discord",
              "the schema has no " + attribute + ": members cannot link a Discord account",
              "Load deploy/ldap/schema/skynet.ldif, or set ldap.discord-attribute= (empty) to"
                  + " offer none."));
    } else {
      String auxiliary = LdapDirectory.auxiliaryClassAllowing(schema, attribute);
      out.add(
          auxiliary == null
              ? CheckResult.warn(
                  "ldap discord",
                  "the schema has "
                      + attribute
                      + " but no auxiliary class allowing it: setting it would be refused",
                  "Load deploy/ldap/schema/skynet.ldif (class skynetPerson), or set"
                      + " ldap.discord-attribute= (empty) to offer none.")
              : CheckResult.ok(
                  "ldap discord", attribute + " is in the schema, with class " + auxiliary));
    }
  }

  private void rights(LDAPConnection connection, List<CheckResult> out) {
    removeEarlierProbes(connection);
    byte[] suffix = new byte[4];
    random.nextBytes(suffix);
    String name = PROBE_PREFIX + HexFormat.of().formatHex(suffix);
    DN dn;
    try {
      dn = new DN(new RDN("uid", name), new DN(settings.usersDn()));
    } catch (LDAPException e) {
      out.add(CheckResult.failed("ldap add account", "ldap.users-dn is not a DN", ""));
      return;
    }
    boolean added =
        step(
            out,
            "ldap add account",
            "may add accounts under " + settings.usersDn(),
            "add entries under "
                + settings.usersDn()
                + " (write on its children, and on the"
                + " new entry and the attributes the service sets)",
            () -> connection.add(probe(dn, name)));
    if (added) {
      step(
          out,
          "ldap set password",
          "may set passwords (Password Modify) of accounts under " + settings.usersDn(),
          "write on userPassword of entries under " + settings.usersDn(),
          () -> {
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            ExtendedResult result =
                connection.processExtendedOperation(
                    new PasswordModifyExtendedRequest(
                        dn.toString(), null, HexFormat.of().formatHex(secret)));
            if (result.getResultCode() != ResultCode.SUCCESS) {
              throw new LDAPException(result);
            }
          });
      step(
          out,
          "ldap ssh keys",
          "may add and remove SSH keys (sshPublicKey, class ldapPublicKey)",
          "write on sshPublicKey and objectClass of entries under " + settings.usersDn(),
          () -> {
            connection.modify(
                dn.toString(),
                new Modification(ModificationType.ADD, "objectClass", "ldapPublicKey"),
                new Modification(ModificationType.ADD, "sshPublicKey", PROBE_KEY));
            connection.modify(
                dn.toString(),
                new Modification(ModificationType.DELETE, "sshPublicKey", PROBE_KEY),
                new Modification(ModificationType.DELETE, "objectClass", "ldapPublicKey"));
          });
    } else {
      out.add(CheckResult.skipped("ldap set password", "needs the probe account, not made"));
      out.add(CheckResult.skipped("ldap ssh keys", "needs the probe account, not made"));
    }
    groupWrite(connection, out, "members", settings.membersGroupDn(), name);
    settings
        .roleGroups()
        .forEach((group, groupDn) -> groupWrite(connection, out, group, groupDn, name));
    if (added) {
      boolean removed =
          step(
              out,
              "ldap remove account",
              "may remove accounts under " + settings.usersDn() + "; the probe is gone",
              "delete entries under "
                  + settings.usersDn()
                  + " (write on its children and on"
                  + " the entry)",
              () -> connection.delete(dn.toString()));
      if (!removed) {
        out.add(
            CheckResult.failed(
                "ldap probe left",
                dn + " is left in the directory",
                "Remove it by hand: ldapdelete -D <an admin> -W '" + dn + "'"));
      }
    }
  }

  /** Whether the service may add and remove a memberUid of the group, tried with the probe's. */
  private void groupWrite(
      LDAPConnection connection, List<CheckResult> out, String group, String groupDn, String name) {
    step(
        out,
        "ldap " + group + " group write",
        "may add and remove memberUid of " + groupDn,
        "write on memberUid of " + groupDn,
        () -> {
          connection.modify(groupDn, new Modification(ModificationType.ADD, "memberUid", name));
          try {
            connection.modify(
                groupDn, new Modification(ModificationType.DELETE, "memberUid", name));
          } catch (LDAPException e) {
            out.add(
                CheckResult.failed(
                    "ldap probe left",
                    "memberUid " + name + " is left in " + groupDn,
                    "Remove that value by hand (ldapmodify, delete: memberUid)."));
            throw e;
          }
        });
  }

  /**
   * Probes a doctor left when it was stopped half-way: removed now, so none lingers. A failure here
   * is left to the steps below to show.
   */
  private void removeEarlierProbes(LDAPConnection connection) {
    try {
      List<SearchResultEntry> probes =
          connection
              .search(
                  settings.usersDn(),
                  SearchScope.ONE,
                  Filter.createSubstringFilter("uid", PROBE_PREFIX, null, null),
                  "uid")
              .getSearchEntries();
      for (SearchResultEntry probe : probes == null ? List.<SearchResultEntry>of() : probes) {
        connection.delete(probe.getDN());
        String uid = probe.getAttributeValue("uid");
        if (uid != null) {
          List<String> groups = new java.util.ArrayList<>(settings.roleGroups().values());
          groups.add(settings.membersGroupDn());
          for (String group : groups) {
            try {
              connection.modify(group, new Modification(ModificationType.DELETE, "memberUid", uid));
            } catch (LDAPException notThere) {
              // not in the group: nothing to remove
            }
          }
        }
      }
    } catch (LDAPException e) {
      // shown by the add and remove steps, which need the same rights
    }
  }

  @FunctionalInterface
  private interface Action {
    void run() throws LDAPException;
  }

  /**
   * @param right the right in an operator's words, for the failure line
   * @return whether the step worked
   */
  private boolean step(
      List<CheckResult> out, String check, String good, String right, Action action) {
    try {
      action.run();
      out.add(CheckResult.ok(check, good));
      return true;
    } catch (LDAPException e) {
      boolean refused = e.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS;
      out.add(
          CheckResult.failed(
              check,
              (refused
                      ? settings.bindDn() + " may not " + right
                      : "the directory refused to " + right)
                  + ": "
                  + DirectoryException.describe(e),
              refused
                  ? "Grant "
                      + settings.bindDn()
                      + " that right in the directory's access rules (see "
                      + ACCESS_RULES
                      + ")."
                  : "See the server's log; the schema line above may say why."));
      return false;
    }
  }

  /** An account as the service makes one, with every attribute it sets, but no use to anyone. */
  private Entry probe(DN dn, String name) {
    Entry entry = new Entry(dn);
    entry.addAttribute("objectClass", "top", "inetOrgPerson", "posixAccount");
    entry.addAttribute("uid", name);
    entry.addAttribute("cn", "accounts doctor probe");
    entry.addAttribute("sn", "probe");
    entry.addAttribute("givenName", "doctor");
    entry.addAttribute("mail", name + "@invalid");
    entry.addAttribute("uidNumber", "65534"); // nobody: never a member's number
    entry.addAttribute("gidNumber", Integer.toString(settings.gidNumber()));
    entry.addAttribute("homeDirectory", "/nonexistent");
    entry.addAttribute("loginShell", "/usr/sbin/nologin");
    entry.addAttribute(settings.wolvesIdAttribute(), "doctor-probe");
    return entry;
  }
}
