package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the commands that report: one JSON value on standard output for
 * scripts (and the admin tools) to read, also when the command fails.
 */
final class JsonOutput {
  @Option(names = "--json", description = "print the result as JSON, for scripts")
  boolean wanted;

  /** Prints the value as one line of JSON. */
  void print(PrintWriter out, Object value) throws JsonProcessingException {
    out.println(new ObjectMapper().writeValueAsString(value));
    out.flush();
  }

  /**
   * A failure before any result exists: with --json still one object (status failed, the file, the
   * message), else the message on standard error.
   *
   * @return 1, the exit code
   */
  int failed(CommandSpec spec, String file, @Nullable String message)
      throws JsonProcessingException {
    if (wanted) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("status", "failed");
      object.put("file", file);
      object.put("message", message);
      print(spec.commandLine().getOut(), object);
    } else {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + message);
      err.flush();
    }
    return 1;
  }
}
