package ie.skynet.accounts.directory;

import org.jspecify.annotations.Nullable;

/** What the directory needs to create a member's account; the password travels separately. */
public record NewAccount(
    String username, @Nullable String givenName, String surname, String mail, String wolvesId) {

  /** The entry's {@code cn}: the member's full name as the society shows it. */
  String commonName() {
    return givenName == null ? surname : givenName + " " + surname;
  }
}
