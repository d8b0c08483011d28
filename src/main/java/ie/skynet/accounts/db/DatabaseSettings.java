package ie.skynet.accounts.db;

/** Where the database lives: a JDBC URL; only {@code jdbc:sqlite:} is supported so far. */
public record DatabaseSettings(String url) {
  public static final String SQLITE_PREFIX = "jdbc:sqlite:";
}
