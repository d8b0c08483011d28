package ie.skynet.accounts.dev;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;

/**
 * A real LDAP server in memory, laid out as the society's directory is: the base DN, {@code
 * ou=users}, {@code ou=groups}, the members group, the uidNumber counter, and a service account.
 * Used by {@code accounts dev} and by the tests.
 */
public final class DevDirectory {
  public static final String BASE = "dc=skynet,dc=ie";
  public static final String USERS = "ou=users," + BASE;
  public static final String SERVICE_DN = "cn=accounts-service," + BASE;
  public static final String MEMBERS = "cn=skynet-users,ou=groups," + BASE;
  public static final String ADMINS = "cn=skynet-admins,ou=groups," + BASE;
  public static final String COMMITTEE = "cn=skynet-committee,ou=groups," + BASE;
  public static final String COUNTER = "cn=uid-counter," + BASE;
  public static final int MEMBERS_GID = 1000;
  public static final int FIRST_UID = 10000;

  /**
   * What the standard schema lacks: RFC 2307's POSIX accounts and groups (as in OpenLDAP's
   * nis.schema). The openssh-lpk and society schemas come from the files shipped to operators.
   */
  private static final String[] SCHEMA = {
    "attributeTypes: ( 1.3.6.1.1.1.1.0 NAME 'uidNumber' EQUALITY integerMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.1 NAME 'gidNumber' EQUALITY integerMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.2 NAME 'gecos' EQUALITY caseIgnoreIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.3 NAME 'homeDirectory' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.4 NAME 'loginShell' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.12 NAME 'memberUid' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 )",
    "objectClasses: ( 1.3.6.1.1.1.2.0 NAME 'posixAccount' SUP top AUXILIARY"
        + " MUST ( cn $ uid $ uidNumber $ gidNumber $ homeDirectory )"
        + " MAY ( userPassword $ loginShell $ gecos $ description ) )",
    "objectClasses: ( 1.3.6.1.1.1.2.2 NAME 'posixGroup' SUP top STRUCTURAL MUST ( cn $ gidNumber )"
        + " MAY ( userPassword $ memberUid $ description ) )"
  };

  /** The schema files of deploy/ldap/schema, packaged in the jar (cn=config LDIF form). */
  private static final List<String> SHIPPED_SCHEMAS =
      List.of("ldap/schema/openssh-lpk.ldif", "ldap/schema/skynet.ldif");

  private DevDirectory() {}

  private static Entry shippedSchema(String resource) throws LDIFException {
    try (InputStream in = DevDirectory.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      Entry entry = new LDIFReader(in).readEntry();
      if (entry == null) {
        throw new IllegalStateException(resource + " holds no entry");
      }
      return entry;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource + " failed", e);
    }
  }

  /** A plain LDAP listener on loopback; port 0 picks a free one. */
  public static InMemoryListenerConfig loopback(int port) throws LDAPException {
    return InMemoryListenerConfig.createLDAPConfig(
        "ldap", InetAddress.getLoopbackAddress(), port, null);
  }

  /**
   * Starts a seeded server.
   *
   * @param servicePassword the password of {@link #SERVICE_DN}, the account the service binds as
   */
  public static InMemoryDirectoryServer start(
      InMemoryListenerConfig listener, String servicePassword) throws LDAPException, LDIFException {
    return start(listener, servicePassword, config -> {});
  }

  /**
   * Starts a seeded server, its configuration adjusted first: for tests that need a server refusing
   * what a real one may refuse (a delete, say).
   */
  public static InMemoryDirectoryServer start(
      InMemoryListenerConfig listener,
      String servicePassword,
      java.util.function.Consumer<InMemoryDirectoryServerConfig> adjust)
      throws LDAPException, LDIFException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    Entry extra = new Entry("cn=schema");
    for (String line : SCHEMA) {
      int colon = line.indexOf(':');
      extra.addAttribute(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    for (String resource : SHIPPED_SCHEMAS) {
      Entry shipped = shippedSchema(resource);
      for (String[] names :
          List.of(
              new String[] {"olcAttributeTypes", "attributeTypes"},
              new String[] {"olcObjectClasses", "objectClasses"})) {
        String[] values = shipped.getAttributeValues(names[0]);
        if (values != null) {
          extra.addAttribute(names[1], values);
        }
      }
    }
    config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(extra)));
    config.setListenerConfigs(listener);
    config.addAdditionalBindCredentials(SERVICE_DN, servicePassword);
    adjust.accept(config);
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: skynet");
    server.add("dn: " + USERS, "objectClass: top", "objectClass: organizationalUnit", "ou: users");
    server.add(
        "dn: ou=groups," + BASE,
        "objectClass: top",
        "objectClass: organizationalUnit",
        "ou: groups");
    server.add(
        "dn: " + MEMBERS,
        "objectClass: top",
        "objectClass: posixGroup",
        "cn: skynet-users",
        "gidNumber: " + MEMBERS_GID);
    server.add(
        "dn: " + ADMINS,
        "objectClass: top",
        "objectClass: posixGroup",
        "cn: skynet-admins",
        "gidNumber: " + (MEMBERS_GID + 1));
    server.add(
        "dn: " + COMMITTEE,
        "objectClass: top",
        "objectClass: posixGroup",
        "cn: skynet-committee",
        "gidNumber: " + (MEMBERS_GID + 2));
    server.add(
        "dn: " + COUNTER,
        "objectClass: top",
        "objectClass: organizationalRole",
        "objectClass: extensibleObject",
        "cn: uid-counter",
        "uidNumber: " + FIRST_UID);
    server.startListening();
    return server;
  }
}
