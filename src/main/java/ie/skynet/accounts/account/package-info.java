/**
 * Self-service for members with an account: logging in and out with their LDAP credentials, and the
 * account page. Sessions are kept on the server.
 */
@NullMarked
package ie.skynet.accounts.account;

import org.jspecify.annotations.NullMarked;
