package ie.skynet.accounts.signup;

import java.net.URI;
import java.time.Duration;

/**
 * @param baseUrl where members reach the service; every link in a mail starts here, never with a
 *     request's Host header
 * @param joinUrl where a non-member can join the society (its Wolves page)
 * @param tokenLifetime how long an emailed link works
 */
public record SignupSettings(
    URI baseUrl, URI joinUrl, Duration tokenLifetime, String usernamePattern) {}
