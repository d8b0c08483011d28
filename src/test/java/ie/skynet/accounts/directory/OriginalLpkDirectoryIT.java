package ie.skynet.accounts.directory;

/**
 * The directory contract on slapd with the original openssh-lpk schema, still the most common,
 * where ldapPublicKey requires a key: an entry made with the class and no key is refused.
 */
class OriginalLpkDirectoryIT extends OpenLdapDirectoryIT {
  @Override
  Slapd.Schema schema() {
    return Slapd.Schema.MUST_KEY;
  }
}
