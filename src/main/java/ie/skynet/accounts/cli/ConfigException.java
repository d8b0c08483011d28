package ie.skynet.accounts.cli;

import java.util.List;

/**
 * Configuration that cannot be used; carries every problem found, not just the first. Exit code 2,
 * as for a usage error: the operator has something to correct before trying again.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(
        "configuration has "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + ":\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
