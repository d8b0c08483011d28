package ie.skynet.accounts.signup;

import java.util.Locale;

/** What a token was issued for; a token is only ever accepted for its own purpose. */
public enum TokenPurpose {
  /** Verifies a member's Wolves email and lets them choose a username and password. */
  SIGNUP;

  String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
