package ie.skynet.accounts.dev;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import java.net.InetAddress;

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
  public static final String COUNTER = "cn=uid-counter," + BASE;
  public static final int MEMBERS_GID = 1000;
  public static final int FIRST_UID = 10000;

  /**
   * What the standard schema lacks: RFC 2307's POSIX accounts and groups (as in OpenLDAP's
   * nis.schema) and openssh-lpk's auxiliary class for SSH keys.
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
        + " MAY ( userPassword $ memberUid $ description ) )",
    "attributeTypes: ( 1.3.6.1.4.1.24552.500.1.1.1.13 NAME 'sshPublicKey' EQUALITY octetStringMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )",
    "objectClasses: ( 1.3.6.1.4.1.24552.500.1.1.2.0 NAME 'ldapPublicKey' SUP top AUXILIARY"
        + " MAY ( sshPublicKey $ uid ) )",
    "attributeTypes: ( 2.25.1.1 NAME 'skDiscord' EQUALITY caseIgnoreMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
    "objectClasses: ( 2.25.1.2 NAME 'skynetPerson' SUP top AUXILIARY MAY skDiscord )"
  };

  private DevDirectory() {}

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
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    Entry extra = new Entry("cn=schema");
    for (String line : SCHEMA) {
      int colon = line.indexOf(':');
      extra.addAttribute(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(extra)));
    config.setListenerConfigs(listener);
    config.addAdditionalBindCredentials(SERVICE_DN, servicePassword);
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
