package ie.skynet.accounts.membership;

import java.util.List;

/** The header names of the Wolves export's columns that the import reads; others are ignored. */
public record CsvColumns(
    String id,
    String studentNumber,
    String firstName,
    String lastName,
    String email,
    String expiry) {

  public static final CsvColumns WOLVES_DEFAULTS =
      new CsvColumns(
          "Member ID", "Student Number", "First Name", "Last Name", "Contact Email", "Expiry");

  List<String> all() {
    return List.of(id, studentNumber, firstName, lastName, email, expiry);
  }
}
