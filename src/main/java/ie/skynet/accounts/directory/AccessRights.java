package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

/**
 * Words for a refusal. OpenLDAP answers a missing right with {@code 50 (insufficient access
 * rights)} and no text at all, so the service says which right of which entry it needed: that is
 * what an operator changes in the server's access rules.
 */
final class AccessRights {
  /** Where the rules the service needs are written down, for both forms of slapd configuration. */
  static final String RULES = "deploy/ldap/access.ldif or access.conf";

  private final String bindDn;

  AccessRights(String bindDn) {
    this.bindDn = bindDn;
  }

  /**
   * @param right the right needed, as "write access to memberUid of cn=…"
   * @return what to add to the failure's message, after its result code: nothing unless the server
   *     refused a right
   */
  String lacking(LDAPException e, String right) {
    if (e.getResultCode() != ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
      return "";
    }
    return "; the service's account "
        + bindDn
        + " lacks "
        + right
        + "; grant it in the directory's access rules (see "
        + RULES
        + ")";
  }
}
