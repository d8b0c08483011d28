/**
 * Self-service for members with an account: logging in and out with their LDAP credentials, and the
 * account page. Sessions are kept on the server. SSH public keys as members paste them ({@link
 * ie.skynet.accounts.account.SshPublicKeys}) and the SSHSIG signatures that prove a member holds
 * one ({@link ie.skynet.accounts.account.SshSignatures}) are checked here.
 */
@NullMarked
package ie.skynet.accounts.account;

import org.jspecify.annotations.NullMarked;
