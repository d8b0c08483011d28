/**
 * The admin pages: what the committee needs to see and do without a shell. What the service is
 * doing (imports, syncs, mail, the audit log), who the members and accounts are, and disabling or
 * enabling an account. Only for users in {@code lifecycle.admins}; every change is audited and
 * posted with the CSRF token.
 */
@NullMarked
package ie.skynet.accounts.admin;

import org.jspecify.annotations.NullMarked;
