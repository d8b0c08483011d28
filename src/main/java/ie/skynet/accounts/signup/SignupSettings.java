package ie.skynet.accounts.signup;

import java.net.URI;
import java.time.Duration;

/**
 * @param joinUrl where a non-member can join the society (its Wolves page)
 * @param tokenLifetime how long an emailed link works
 * @param listedUsernames the usernames the lifecycle lists name (admins, committee, lifetime):
 *     signup never hands one out, so no member can claim a right meant for someone else by taking a
 *     listed name before its owner has an account
 */
public record SignupSettings(
    URI joinUrl,
    Duration tokenLifetime,
    String usernamePattern,
    java.util.Set<String> listedUsernames) {}
