package ie.skynet.accounts.browser;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a browser class puts in the dev process it starts: a Wolves export current for a year from
 * today (whatever today is), and entries made by hand in dev's directory, as the committee's own
 * accounts were, through the configuration dev writes for doctor.
 */
final class DevData {
  private DevData() {}

  /**
   * Writes an export of {@code count} members: Wolves ids {@code <idPrefix>00001} on, addresses
   * {@code <local><n>@example.com}.
   */
  static Path export(Path file, String idPrefix, String local, int count) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry");
    LocalDate expiry = LocalDate.now(ZoneOffset.UTC).plusYears(1);
    for (int i = 1; i <= count; i++) {
      lines.add(
          String.format(
              "%s%05d,2490%04d,Member%d,Browser,%s%d@example.com,%s",
              idPrefix, i, i, i, local, i, expiry));
    }
    return Files.write(file, lines);
  }

  /** Adds a person to the directory of the dev process whose data is in {@code data}. */
  static void person(Path data, String username, String password) throws Exception {
    Map<String, String> config = new HashMap<>();
    for (String line : Files.readAllLines(data.resolve("doctor.conf"))) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && equals > 0) {
        config.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    try (LDAPConnection ldap =
        new LDAPConnection(
            "127.0.0.1",
            Integer.parseInt(config.get("ldap.port")),
            config.get("ldap.bind-dn"),
            config.get("ldap.bind-password"))) {
      ldap.add(
          "uid=" + username + "," + config.get("ldap.users-dn"),
          new Attribute("objectClass", "inetOrgPerson"),
          new Attribute("uid", username),
          new Attribute("cn", username),
          new Attribute("sn", username),
          new Attribute("userPassword", password));
    }
  }
}
