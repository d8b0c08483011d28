package ie.skynet.accounts.app;

import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.cli.Services;
import ie.skynet.accounts.cli.ServicesFactory;
import ie.skynet.accounts.ops.FreeSpace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the system for the command line, once a command has said which: from the configuration and
 * {@code environment}, or embedded for {@code accounts dev}.
 *
 * @param freeSpace where doctor reads the disk's free space (tests: never the machine's)
 */
record Launcher(Map<String, String> environment, FreeSpace freeSpace) implements ServicesFactory {
  @Override
  public Services open(@Nullable Path configFile) {
    return App.open(configFile, environment, freeSpace);
  }

  @Override
  public Services dev(DevOptions options) {
    return App.dev(options, environment, Clock.systemDefaultZone(), freeSpace);
  }
}
