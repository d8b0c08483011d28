package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.db.DatabaseException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The CLI contract's exit codes for a command that throws: 2 for configuration, else 1. */
class ExitCodesTest {
  @Command(name = "failing")
  static final class Failing implements Callable<Integer> {
    private final RuntimeException failure;

    Failing(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure;
    }
  }

  private record Run(int exit, String err) {}

  private static Run run(RuntimeException failure) {
    CommandLine commandLine = new CommandLine(new Failing(failure));
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err));
    return new Run(commandLine.execute(), err.toString());
  }

  @Test
  void configurationThatCannotBeUsedExitsTwoWithEveryProblem() {
    Run run = run(new ConfigException(List.of("ldap.port: expected a port", "web.base-url: bad")));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "error: configuration has 2 problems:\n  - ldap.port: expected a port\n  - web.base-url:"
                + " bad"
                + System.lineSeparator());
  }

  @Test
  void failuresThatExplainThemselvesExitOneWithTheirMessageAlone() {
    assertThat(run(new StartupException("cannot listen on 127.0.0.1:8080 (is the port in use?)")))
        .isEqualTo(
            new Run(
                1,
                "error: cannot listen on 127.0.0.1:8080 (is the port in use?)"
                    + System.lineSeparator()));
    assertThat(run(new DatabaseException("the database is locked")))
        .isEqualTo(new Run(1, "error: the database is locked" + System.lineSeparator()));
  }

  @Test
  void anUnexpectedFailureExitsOneNamingItsType() {
    assertThat(run(new IllegalStateException("surprise")))
        .isEqualTo(
            new Run(
                1, "error: java.lang.IllegalStateException: surprise" + System.lineSeparator()));
  }
}
