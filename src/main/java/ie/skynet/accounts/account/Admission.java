package ie.skynet.accounts.account;

import ie.skynet.accounts.membership.Memberships;
import java.util.Set;

/**
 * Who may log in and stay logged in: the accounts the service made, unless an admin has disabled
 * them, and the configured admins, whose entries the service may not have made (unless the service
 * made one and an admin disabled it: disabled outranks the list). Every other entry under the users
 * OU (a service's, one made by hand) is answered as if it did not exist, and so is a disabled
 * account. A lapsed account is admitted: its member can still renew and come back.
 *
 * @param admins usernames from {@code lifecycle.admins}
 */
record Admission(Memberships memberships, Set<String> admins) {
  boolean admits(String username) {
    return memberships
        .standing(username)
        .map(account -> !account.disabled())
        .orElse(admins.contains(username));
  }

  /** Whether the username is an admin's who may come in: an admin's account disabled is not. */
  boolean isAdmin(String username) {
    return admins.contains(username) && admits(username);
  }
}
