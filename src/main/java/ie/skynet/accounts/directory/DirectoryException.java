package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;

/** A directory operation failed; carries the LDAP result code so callers can tell why. */
public final class DirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ResultCode resultCode;

  public DirectoryException(String message, LDAPException cause) {
    super(message + ": " + cause.getResultCode() + " " + cause.getDiagnosticMessage(), cause);
    this.resultCode = cause.getResultCode();
  }

  public DirectoryException(String message, ResultCode resultCode) {
    super(message);
    this.resultCode = resultCode;
  }

  public ResultCode resultCode() {
    return resultCode;
  }
}
