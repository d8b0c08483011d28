/**
 * Signup: from a Wolves email to a working account. Requests and their one-time tokens, the
 * username and password rules, and account creation.
 */
@NullMarked
package ie.skynet.accounts.signup;

import org.jspecify.annotations.NullMarked;
