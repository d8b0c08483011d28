package ie.skynet.accounts.account;

/**
 * What the login page says after a change that ends there: logged out, a new password set from a
 * mailed link, an address confirmed without a session.
 *
 * @param username filled into the form; empty for none
 */
public record LoginNotice(String username, String message) {}
