package ie.skynet.accounts.app;

import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.ops.Preflight;
import ie.skynet.accounts.signup.SignupService;

/**
 * What preflight rehearses a signup on: the service's signup, but over its own connection to the
 * directory, which makes accounts under the rehearsal OU ({@code preflight.users-dn}).
 */
record PreflightRehearsal(SignupService signup, LdapDirectory directory)
    implements Preflight.Rehearsal {
  @Override
  public void close() {
    directory.close();
  }
}
