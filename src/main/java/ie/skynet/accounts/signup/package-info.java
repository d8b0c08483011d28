/**
 * Signup: from a Wolves email to a working account. Requests and their one-time tokens, the
 * username rule, and account creation (the password rule is {@code policy}'s, shared).
 */
@NullMarked
package ie.skynet.accounts.signup;

import org.jspecify.annotations.NullMarked;
