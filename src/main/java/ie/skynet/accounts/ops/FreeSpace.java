package ie.skynet.accounts.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Usable bytes on the file system of a directory, for doctor's disk check: a function, so that
 * tests can make a disk full or roomy without depending on the machine they run on.
 */
@FunctionalInterface
public interface FreeSpace {
  long of(Path directory) throws IOException;

  /** What the file system says. */
  static FreeSpace fileStore() {
    return directory -> Files.getFileStore(directory).getUsableSpace();
  }
}
