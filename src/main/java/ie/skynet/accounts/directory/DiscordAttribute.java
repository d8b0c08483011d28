package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassType;
import com.unboundid.ldap.sdk.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's Discord account, in the society's own attribute ({@code skDiscord} by default).
 * Whether the directory has it is the server's schema to say, read once: a directory without the
 * society's schema simply does not offer it. Setting it also adds the auxiliary class that allows
 * it ({@code skynetPerson} in the shipped schema), found in the schema rather than named here.
 */
final class DiscordAttribute {
  /** Found in the schema: the attribute, and the auxiliary class allowing it (null: none). */
  private record Found(String attribute, @Nullable String auxiliaryClass) {}

  private static final Logger log = LoggerFactory.getLogger(DiscordAttribute.class);

  private final @Nullable String configured;
  private final LDAPInterface schemaSource;
  private final TimedLdap ldap;
  private final AccessRights rights;
  private volatile @Nullable Found found;
  private volatile boolean looked;

  DiscordAttribute(
      @Nullable String configured,
      LDAPInterface schemaSource,
      TimedLdap ldap,
      AccessRights rights) {
    this.configured = configured;
    this.schemaSource = schemaSource;
    this.ldap = ldap;
    this.rights = rights;
  }

  /** Whether the service is configured with the attribute and the directory's schema has it. */
  boolean enabled() {
    return lookUp() != null;
  }

  private @Nullable Found lookUp() {
    if (looked || configured == null) {
      return found;
    }
    Schema schema;
    try {
      schema = schemaSource.getSchema();
    } catch (LDAPException e) {
      // Not worth failing a member's page over: not offered this time, asked again next time;
      // doctor's schema line says why.
      log.warn(
          "reading the directory's schema failed ({}): {} is not offered for now",
          DirectoryException.describe(e),
          configured);
      return null;
    }
    if (schema == null) { // the server publishes none: it never will
      looked = true;
      return null;
    }
    found = find(schema, configured);
    looked = true;
    return found;
  }

  static @Nullable Found find(Schema schema, String name) {
    AttributeTypeDefinition type = schema.getAttributeType(name);
    if (type == null) {
      return null;
    }
    return new Found(type.getNameOrOID(), auxiliaryClassAllowing(schema, type));
  }

  /** An auxiliary class that allows the attribute, its own or by a superclass; null if none. */
  static @Nullable String auxiliaryClassAllowing(Schema schema, AttributeTypeDefinition type) {
    for (ObjectClassDefinition c : schema.getObjectClasses()) {
      if (c.getObjectClassType(schema) == ObjectClassType.AUXILIARY
          && (c.getOptionalAttributes(schema, true).contains(type)
              || c.getRequiredAttributes(schema, true).contains(type))) {
        return c.getNameOrOID();
      }
    }
    return null;
  }

  /**
   * @param value the new value; null or blank removes it
   * @throws DirectoryException if the directory has no such attribute
   */
  void set(String username, DN dn, @Nullable String value) {
    Found attribute = lookUp();
    if (attribute == null) {
      throw new DirectoryException(
          "the directory has no Discord attribute "
              + (configured == null ? "(ldap.discord-attribute is empty)" : configured),
          ResultCode.UNDEFINED_ATTRIBUTE_TYPE);
    }
    String doing = "setting " + attribute.attribute() + " of " + username;
    SearchResultEntry entry;
    try {
      entry = ldap.getEntry(dn.toString(), "objectClass", attribute.attribute());
    } catch (LDAPException e) {
      throw new DirectoryException(doing + " failed: its entry cannot be read", e);
    }
    if (entry == null) {
      throw new DirectoryException(
          doing + " failed: there is no entry " + dn, ResultCode.NO_SUCH_OBJECT);
    }
    List<Modification> changes = new ArrayList<>();
    if (value == null || value.isBlank()) {
      if (!entry.hasAttribute(attribute.attribute())) {
        return;
      }
      changes.add(new Modification(ModificationType.DELETE, attribute.attribute()));
    } else {
      String auxiliary = attribute.auxiliaryClass();
      if (auxiliary != null && !entry.hasObjectClass(auxiliary)) {
        changes.add(new Modification(ModificationType.ADD, "objectClass", auxiliary));
      }
      changes.add(new Modification(ModificationType.REPLACE, attribute.attribute(), value));
    }
    try {
      ldap.modify(dn.toString(), changes.toArray(Modification[]::new));
    } catch (LDAPException e) {
      throw new DirectoryException(
          doing + " failed",
          e,
          rights.lacking(
              e, "write access to " + attribute.attribute() + " and objectClass of " + dn));
    }
  }
}
