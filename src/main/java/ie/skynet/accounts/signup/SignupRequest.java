package ie.skynet.accounts.signup;

import java.time.Instant;

/** A pending signup, as its token leads to it. */
public record SignupRequest(long id, String email, String idWolves, Instant expiresAt) {}
