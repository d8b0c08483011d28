package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

/** A directory operation failed; carries the LDAP result code so callers can tell why. */
public final class DirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ResultCode resultCode;

  /**
   * @param message what was being done and, where it helps, what to do about it; the result code
   *     and the server's own words (when it sent any: OpenLDAP often sends none) follow it
   */
  public DirectoryException(String message, LDAPException cause) {
    super(message + ": " + describe(cause), cause);
    this.resultCode = cause.getResultCode();
  }

  /**
   * @param doing what failed, as "adding uid=… failed"
   * @param consequences what follows from it and what to do, each part starting "; "; after the
   *     result code, so the sentence reads in the order an operator needs it
   */
  public DirectoryException(String doing, LDAPException cause, String consequences) {
    super(doing + ": " + describe(cause) + consequences, cause);
    this.resultCode = cause.getResultCode();
  }

  public DirectoryException(String message, ResultCode resultCode) {
    super(message);
    this.resultCode = resultCode;
  }

  public ResultCode resultCode() {
    return resultCode;
  }

  /** The result code with its number, and the server's message only when it sent one. */
  public static String describe(LDAPException e) {
    String said = e.getDiagnosticMessage();
    String code = e.getResultCode().toString(); // "50 (insufficient access rights)"
    return said == null || said.isBlank() ? code : code + ", the server said: " + said.strip();
  }
}
