/** Skynet Accounts: turns a paid society membership into a working LDAP account. */
@NullMarked
package ie.skynet.accounts;

import org.jspecify.annotations.NullMarked;
