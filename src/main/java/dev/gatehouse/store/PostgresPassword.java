package dev.gatehouse.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The database password, from where libpq users keep it and never from the command line: the TOML's {@code
 * password_file} when one is set, else {@code PGPASSWORD}, else the first matching line of {@code PGPASSFILE}
 * or {@code ~/.pgpass} (PostgreSQL docs §34.16: {@code host:port:database:user:password}, {@code *} matches
 * anything, {@code \:} and {@code \\} escape; ignored, as libpq does, when others may read it).
 */
public final class PostgresPassword {
  private static final System.Logger LOG = System.getLogger(PostgresPassword.class.getName());

  private PostgresPassword() {}

  /**
   * The password for {@code location}, or empty when none is configured (the server may not ask for one).
   *
   * @param passwordFile the TOML's {@code password_file}
   * @param env the process environment ({@code PGPASSWORD}, {@code PGPASSFILE}, {@code HOME})
   * @throws IOException when {@code passwordFile} is set and cannot be read, naming it
   */
  public static Optional<String> find(PostgresLocation location, Optional<Path> passwordFile, Map<String, String> env)
      throws IOException {
    if (passwordFile.isPresent()) {
      try {
        return Optional.of(firstLine(Files.readString(passwordFile.get(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new IOException("password_file " + passwordFile.get() + " cannot be read (" + e.getMessage()
            + "; expected: a file holding the database password, mode 0600)", e);
      }
    }
    String fromEnv = env.get("PGPASSWORD");
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return Optional.of(fromEnv);
    }
    Path pgpass = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE"))
        : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
    return fromPgpass(pgpass, location);
  }

  private static Optional<String> fromPgpass(Path file, PostgresLocation location) throws IOException {
    List<String> lines;
    try {
      if (!PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).endsWith("------")) {
        LOG.log(System.Logger.Level.WARNING, "password file " + file + " is ignored: others may read it"
            + " (expected: mode 0600, as libpq requires)");
        return Optional.empty();
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(line);
      if (fields.size() == 5
          && matches(fields.get(0), location.host())
          && matches(fields.get(1), Integer.toString(location.port()))
          && matches(fields.get(2), location.database())
          && matches(fields.get(3), location.user())) {
        return Optional.of(fields.get(4));
      }
    }
    return Optional.empty();
  }

  private static boolean matches(String field, String value) {
    return field.equals("*") || field.equals(value);
  }

  /** Splits at unescaped colons and resolves {@code \:} and {@code \\}. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
