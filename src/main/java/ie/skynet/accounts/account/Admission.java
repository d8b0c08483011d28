package ie.skynet.accounts.account;

import ie.skynet.accounts.membership.Memberships;
import java.util.Set;

/**
 * Who may log in and stay logged in: the accounts the service made, unless an admin has disabled
 * them, and the configured admins, whose entries the service may not have made. Every other entry
 * under the users OU (a service's, one made by hand) is answered as if it did not exist, and so is
 * a disabled account. A lapsed account is admitted: its member can still renew and come back.
 *
 * @param admins usernames from {@code lifecycle.admins}
 */
record Admission(Memberships memberships, Set<String> admins) {
  boolean admits(String username) {
    return admins.contains(username) || memberships.account(username).isPresent();
  }
}
