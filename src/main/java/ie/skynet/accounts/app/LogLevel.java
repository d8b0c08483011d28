package ie.skynet.accounts.app;

import org.slf4j.LoggerFactory;

/**
 * The service's own log level, from the configuration ({@code log.level}). Logback starts, from
 * logback.xml, before the configuration is read, so the level is set once it has been.
 */
final class LogLevel {
  private static final String ROOT_PACKAGE = "ie.skynet.accounts";

  private LogLevel() {}

  static void set(String level) {
    if (LoggerFactory.getLogger(ROOT_PACKAGE) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.toLevel(level));
    }
  }
}
