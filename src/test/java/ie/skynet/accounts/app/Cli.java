package ie.skynet.accounts.app;

import ie.skynet.accounts.ops.FreeSpace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the real {@code accounts} command line in-process, as {@code Main} does, but for one thing:
 * doctor sees a roomy disk ({@link #ROOMY}), so no test depends on the free space of the machine
 * that builds it.
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

  public static Result run(Map<String, String> environment, String... args) {
    CommandLine commandLine = App.commandLine(environment, ROOMY);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
