/**
 * Signup: from a Wolves email to a working account. Answering signup requests (the queue is {@code
 * asks}'), the mails, the username rule, and account creation, whole or not at all (links are
 * {@code links}', the password rule {@code policy}'s, the account row {@code membership}'s).
 */
@NullMarked
package ie.skynet.accounts.signup;

import org.jspecify.annotations.NullMarked;
