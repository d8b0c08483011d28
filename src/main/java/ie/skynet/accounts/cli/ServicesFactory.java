package ie.skynet.accounts.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Starts the system from a configuration file (null: the default file, if present). */
@FunctionalInterface
public interface ServicesFactory {
  Services open(@Nullable Path configFile);
}
