/**
 * The embedded stack of {@code accounts dev}: an in-memory LDAP server seeded as the society's
 * directory is, a mail catcher with a web mailbox, and sample members. Nothing here is reachable
 * from {@code serve}.
 */
@NullMarked
package ie.skynet.accounts.dev;

import org.jspecify.annotations.NullMarked;
