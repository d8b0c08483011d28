package ie.skynet.accounts.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real {@code accounts} command line in-process, as {@code Main} does. */
public final class Cli {
  /** What a command printed, and its exit code. */
  public record Result(int exit, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  private Cli() {}

  public static Result run(Map<String, String> environment, String... args) {
    CommandLine commandLine = App.commandLine(environment);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
