package ie.skynet.accounts.signup;

import java.net.URI;
import java.time.Duration;

/**
 * @param joinUrl where a non-member can join the society (its Wolves page)
 * @param tokenLifetime how long an emailed link works
 */
public record SignupSettings(URI joinUrl, Duration tokenLifetime, String usernamePattern) {}
