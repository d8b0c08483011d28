package ie.skynet.accounts;

import ie.skynet.accounts.app.App;

/** The {@code accounts} command; see {@code accounts --help}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(App.commandLine(System.getenv(), args).execute(args));
  }
}
