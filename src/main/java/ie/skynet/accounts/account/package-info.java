/**
 * Self-service for members with an account: logging in and out with their LDAP credentials
 * (sessions kept on the server, failed logins throttled), the account page, changing the password,
 * the name, the contact address (confirmed by a mailed link, the old address told) and the linked
 * Discord account, and adding and removing SSH keys. Recovery for members locked out: a mailed
 * password reset link, the username mailed to the address on file, or a challenge signed with an
 * SSH key of the account. SSH public keys as members paste them ({@link
 * ie.skynet.accounts.account.SshPublicKeys}) and the SSHSIG signatures that prove a member holds
 * one ({@link ie.skynet.accounts.account.SshSignatures}) are checked here. Every change is audited.
 */
@NullMarked
package ie.skynet.accounts.account;

import org.jspecify.annotations.NullMarked;
