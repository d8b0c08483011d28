package ie.skynet.accounts.app;

import ie.skynet.accounts.ops.FreeSpace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the real {@code accounts} command line in-process, as {@code Main} does, but for what would
 * make a test depend on the machine or folder it runs in: doctor sees a roomy disk ({@link
 * #ROOMY}), and a stray {@code ./accounts.conf} is never read (see {@link #run}).
 */
public final class Cli {
  /** What doctor's disk check sees in tests: far above its warning threshold. */
  public static final FreeSpace ROOMY = directory -> 100L << 30;

  /** What a command printed, and its exit code. */
  public record Result(int exit, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  private Cli() {}

  /**
   * Runs the command line with these arguments. Without {@code --config}, an empty configuration
   * file is named: the defaults and {@code environment}, as a test giving no file means, and never
   * the {@code ./accounts.conf} the CLI would read from the working folder if someone left one
   * there. ({@code dev} reads no file and refuses {@code --config}: it is run as given.)
   */
  public static Result run(Map<String, String> environment, String... args) {
    List<String> given = List.of(args);
    boolean namesConfig =
        given.stream().anyMatch(a -> a.equals("--config") || a.startsWith("--config="));
    if (namesConfig || (!given.isEmpty() && given.get(0).equals("dev"))) {
      return execute(environment, args);
    }
    Path empty;
    try {
      empty = Files.createTempFile("accounts-test", ".conf");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      List<String> withConfig = new ArrayList<>(List.of("--config", empty.toString()));
      withConfig.addAll(given);
      return execute(environment, withConfig.toArray(String[]::new));
    } finally {
      try {
        Files.deleteIfExists(empty);
      } catch (IOException e) {
        // a temporary file left behind: harmless
      }
    }
  }

  private static Result execute(Map<String, String> environment, String... args) {
    CommandLine commandLine = App.commandLine(environment, ROOMY, args);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
