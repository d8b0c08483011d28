package ie.skynet.accounts.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Starts the system, from its configuration or embedded for {@code accounts dev}. */
public interface ServicesFactory {
  /** The configured system; a null file means the default file, if present. */
  Services open(@Nullable Path configFile);

  /** The system with its dependencies embedded: in-memory LDAP, a mail catcher, local files. */
  Services dev(DevOptions options);
}
