package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line built for one command has that command exactly as the whole one has it. */
class AccountsCommandTest {
  private static final CommandLine WHOLE = AccountsCommand.commandLine(new NoServices(), null);

  @Test
  void theSubcommandIsTheFirstArgumentThatIsNeitherAnOptionNorTheConfigFile() {
    assertThat(AccountsCommand.subcommandNamed(new String[] {"import-csv", "doctor"}))
        .isEqualTo("import-csv");
    assertThat(AccountsCommand.subcommandNamed(new String[] {"--config", "doctor", "migrate"}))
        .isEqualTo("migrate");
    assertThat(AccountsCommand.subcommandNamed(new String[] {"--config=a.conf", "doctor"}))
        .isEqualTo("doctor");
    assertThat(AccountsCommand.subcommandNamed(new String[] {"--help"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {"--help", "doctor"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {"-h", "import-csv"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {"-V", "migrate"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {"doctor", "--help"}))
        .isEqualTo("doctor");
    assertThat(AccountsCommand.subcommandNamed(new String[] {"imprt-csv", "x.csv"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {"--config"})).isNull();
    assertThat(AccountsCommand.subcommandNamed(new String[] {})).isNull();
  }

  @Test
  void eachCommandBuiltAloneHasTheSameOptionsAndHelpAsInTheWholeCommandLine() {
    assertThat(WHOLE.getSubcommands()).hasSizeGreaterThan(10);
    WHOLE
        .getSubcommands()
        .forEach(
            (name, whole) -> {
              CommandLine alone =
                  AccountsCommand.commandLine(new NoServices(), new String[] {name, "--help"});
              assertThat(alone.getSubcommands()).containsOnlyKeys(name);
              CommandLine sub = alone.getSubcommands().get(name);
              assertThat(sub.getUsageMessage(CommandLine.Help.Ansi.OFF))
                  .as(name)
                  .isEqualTo(whole.getUsageMessage(CommandLine.Help.Ansi.OFF));
              assertThat(sub.getExecutionExceptionHandler()).isInstanceOf(ExitCodes.class);
              assertThat(sub.isCaseInsensitiveEnumValuesAllowed()).isTrue();
            });
  }

  @Test
  void helpAndAMisspeltCommandStillSeeEveryCommand() {
    StringWriter out = new StringWriter();
    CommandLine help = AccountsCommand.commandLine(new NoServices(), new String[] {"--help"});
    help.setOut(new PrintWriter(out, true));
    assertThat(help.execute("--help")).isZero();
    assertThat(out.toString()).contains("import-csv", "sync-groups", "housekeeping", "doctor");

    StringWriter before = new StringWriter();
    String[] helpFirst = {"--help", "doctor"};
    CommandLine top = AccountsCommand.commandLine(new NoServices(), helpFirst);
    top.setOut(new PrintWriter(before, true));
    assertThat(top.execute(helpFirst)).isZero();
    assertThat(before.toString()).contains("import-csv", "sync-groups", "housekeeping");

    StringWriter err = new StringWriter();
    String[] misspelt = {"imprt-csv", "members.csv"};
    CommandLine typo = AccountsCommand.commandLine(new NoServices(), misspelt);
    typo.setErr(new PrintWriter(err, true));
    assertThat(typo.execute(misspelt)).isEqualTo(2);
    assertThat(err.toString()).contains("imprt-csv", "import-csv");
  }
}
