package dev.gatehouse.acme;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * http-01 answers as files under another web server's document root ({@code certs issue --webroot DIR},
 * certbot's webroot mode): {@code DIR/.well-known/acme-challenge/TOKEN}. The files are world-readable
 * because the web server (nginx runs as www-data) must read them; they hold nothing secret (the key
 * authorization is public by design, RFC 8555 §8.1). Written whole by rename, removed after validation.
 */
public final class WebrootHttp01Responder implements Http01Responder {

  private static final System.Logger LOG = System.getLogger(WebrootHttp01Responder.class.getName());

  /** The path every http-01 validation requests (RFC 8555 §8.3). */
  public static final String CHALLENGE_PATH = ".well-known/acme-challenge";

  private final Path webroot;

  public WebrootHttp01Responder(Path webroot) {
    this.webroot = webroot;
  }

  @Override
  public ChallengeSolver.Published publish(String token, String keyAuthorization) throws IOException {
    Path dir = webroot.resolve(CHALLENGE_PATH);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Path file = dir.resolve(token);
    Path temp = Files.createTempFile(dir, ".gatehouse-", ".tmp");
    try {
      Files.writeString(temp, keyAuthorization, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return () -> {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot remove the http-01 file " + file + ": " + e.getMessage());
      }
    };
  }

  @Override
  public String describe() {
    return "webroot " + webroot;
  }
}
