package ie.skynet.accounts.membership;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything counted while an export is read: rows by fate, and the rejects in file order. Written
 * by the reading thread; read by the importer only after that thread has ended.
 */
final class ImportTally {
  private final List<Reject> rejects = new ArrayList<>();
  private long rejectsNotListed;
  long rowsRead;
  long skipped;
  long rejectedRows;
  long members;

  void reject(Reject reject) {
    if (rejects.size() < MembershipImporter.MAX_LISTED_REJECTS) {
      rejects.add(reject);
    } else {
      rejectsNotListed++;
    }
  }

  boolean hasRejects() {
    return !rejects.isEmpty();
  }

  List<Reject> rejects() {
    return List.copyOf(rejects);
  }

  long rejectsNotListed() {
    return rejectsNotListed;
  }

  long problems() {
    return rejects.size() + rejectsNotListed;
  }
}
