package ie.skynet.accounts.membership;

import java.util.List;

/**
 * A list of members read whole from a source other than a file (the Wolves API), before any of it
 * is validated: the import core checks it as it checks an export's rows.
 *
 * @param source what the import history records as the file: the URL, without a query
 * @param sha256 of everything read, in order
 * @param fields the source's names of the six member fields, in the order of {@link
 *     MemberRowValidator.Layout}: rejects name them
 * @param problems what makes the whole list unusable (a field missing from every member); when
 *     there are any, no row is checked
 */
record FetchedMembers(
    String source, String sha256, List<String> fields, List<Row> rows, List<Reject> problems) {

  /**
   * One member as read.
   *
   * @param position 1-based, across every page: an import reject's "line"
   * @param values the six fields as text, empty when absent or null
   * @param problems what made a field unreadable as text (an object where text belongs)
   */
  record Row(long position, String[] values, List<Reject> problems) {}
}
