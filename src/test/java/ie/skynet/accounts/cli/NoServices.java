package ie.skynet.accounts.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** For tests of the command line's model: any command that would run fails. */
final class NoServices implements ServicesFactory {
  @Override
  public Services open(@Nullable Path configFile) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Services dev(DevOptions options) {
    throw new UnsupportedOperationException();
  }
}
