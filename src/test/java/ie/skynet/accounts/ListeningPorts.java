package ie.skynet.accounts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;

/**
 * The TCP ports this JVM listens on, as Linux's /proc tells them: the listening sockets of the
 * network namespace whose inodes are among this process's open files. For tests that what a command
 * started is stopped again, without knowing which ports it took (port 0).
 */
public final class ListeningPorts {
  private static final Path FDS = Path.of("/proc/self/fd");
  private static final String LISTEN = "0A";

  private ListeningPorts() {}

  public static Set<Integer> ofThisProcess() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(FDS), "Linux's /proc, to see this process's sockets");
    Set<String> sockets = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed while listed
        }
        if (target.startsWith("socket:[") && target.endsWith("]")) {
          sockets.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    }
    Set<Integer> ports = new TreeSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        // sl local_address rem_address st tx_queue:rx_queue tr:when retrnsmt uid timeout inode
        String[] fields = line.strip().split("\\s+", -1);
        if (fields.length > 9 && fields[3].equals(LISTEN) && sockets.contains(fields[9])) {
          String local = fields[1];
          ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
        }
      }
    }
    return ports;
  }
}
