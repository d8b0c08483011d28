package ie.skynet.accounts.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Raw key/value settings from the three places an operator can put them, in rising precedence:
 * built-in defaults, the properties file, and {@code ACCOUNTS_*} environment variables. Any key may
 * instead be given as {@code KEY-file} naming a file whose contents are the value, so secrets stay
 * out of the configuration file and the process environment.
 */
final class ConfigSource {
  static final String ENV_PREFIX = "ACCOUNTS_";

  /** A value and where it came from, so a problem can point at the place to fix it. */
  record Setting(String value, String origin) {}

  private final Map<String, Setting> settings;

  private ConfigSource(Map<String, Setting> settings) {
    this.settings = settings;
  }

  /**
   * Reads the file (if any) and the environment against the known keys and their defaults; every
   * unknown key and unreadable file is added to {@code problems} rather than thrown at once.
   */
  static ConfigSource read(
      Map<String, String> defaults,
      @Nullable Path file,
      Map<String, String> environment,
      List<String> problems) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    defaults.forEach((key, value) -> settings.put(key, new Setting(value, "default")));
    Map<String, String> envKeys = new LinkedHashMap<>();
    for (String key : defaults.keySet()) {
      envKeys.put(envName(key), key);
      envKeys.put(envName(key + "-file"), key + "-file");
    }

    if (file != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (CharacterCodingException e) {
        problems.add(file + ": not valid UTF-8 text");
      } catch (IllegalArgumentException e) {
        problems.add(
            file
                + ": "
                + e.getMessage()
                + " (a backslash starts an escape in a properties file: write \\\\ for one)");
      } catch (IOException e) {
        problems.add(file + ": cannot read the configuration file (" + e + ")");
      }
      Set<String> names = properties.stringPropertyNames();
      bothValueAndFile(names, file.toString(), problems);
      for (String name : new TreeSet<>(names)) {
        apply(
            settings,
            defaults.keySet(),
            name,
            properties.getProperty(name),
            file.toString(),
            problems);
      }
    }
    bothValueAndFile(
        environment.keySet().stream()
            .filter(envKeys::containsKey)
            .map(envKeys::get)
            .collect(java.util.stream.Collectors.toSet()),
        "environment",
        problems);
    for (Map.Entry<String, String> env : new java.util.TreeMap<>(environment).entrySet()) {
      if (!env.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String key = envKeys.get(env.getKey());
      if (key == null) {
        problems.add(
            "environment "
                + env.getKey()
                + ": not a configuration key (expected ACCOUNTS_ followed by a key from"
                + " accounts.example.conf, e.g. ACCOUNTS_DATABASE_URL)");
        continue;
      }
      apply(
          settings,
          defaults.keySet(),
          key,
          env.getValue(),
          "environment " + env.getKey(),
          problems);
    }
    return new ConfigSource(settings);
  }

  /** One source giving a key both directly and through a file is ambiguous, not a precedence. */
  private static void bothValueAndFile(Set<String> names, String origin, List<String> problems) {
    for (String name : new TreeSet<>(names)) {
      if (names.contains(name + "-file")) {
        problems.add(origin + ": both " + name + " and " + name + "-file are set; expected one");
      }
    }
  }

  private static void apply(
      Map<String, Setting> settings,
      Set<String> known,
      String name,
      String value,
      String origin,
      List<String> problems) {
    if (known.contains(name)) {
      settings.put(name, new Setting(value.strip(), origin));
      return;
    }
    if (name.endsWith("-file") && known.contains(name.substring(0, name.length() - 5))) {
      String key = name.substring(0, name.length() - 5);
      Path path = Path.of(value.strip());
      try {
        String contents = Files.readString(path, StandardCharsets.UTF_8);
        // Editors and `echo` add a final newline that is never part of a secret.
        settings.put(
            key, new Setting(contents.stripTrailing(), origin + " (" + name + " " + path + ")"));
      } catch (IOException e) {
        problems.add(
            origin
                + ": "
                + name
                + ": cannot read "
                + path
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
      return;
    }
    problems.add(
        origin + ": unknown key '" + name + "' (every key is listed in accounts.example.conf)");
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  Setting get(String key) {
    Setting setting = settings.get(key);
    if (setting == null) {
      throw new IllegalArgumentException("no default for configuration key " + key);
    }
    return setting;
  }

  List<String> keys() {
    return new ArrayList<>(settings.keySet());
  }
}
