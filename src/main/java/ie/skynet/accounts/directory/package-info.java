/**
 * The LDAP directory: member accounts as {@code inetOrgPerson}/{@code posixAccount} entries, their
 * group membership, and {@code uidNumber} allocation that stays unique across service instances.
 * Filters and DNs are built by the UnboundID SDK, never by string concatenation.
 */
@NullMarked
package ie.skynet.accounts.directory;

import org.jspecify.annotations.NullMarked;
