package dev.gatehouse.nginx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gatehouse.generate.GeneratedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of every file one {@code nginx setup} touches, taken before it changes any: each file's bytes,
 * mode and owner, each symbolic link's target, and which paths did not exist. {@link #restore()} puts all of
 * them back exactly (bytes, mode, owner) and removes what setup created. Stored as {@code
 * STATE_DIR/nginx-rollback/ID/} with a {@code manifest.json} and one backup per file, readable by root only.
 */
public final class RollbackPoint {

  /** Taken, setup still running or interrupted. */
  public static final String TAKEN = "taken";
  /** Setup finished: what {@code nginx rollback} undoes by default. */
  public static final String APPLIED = "applied";
  /** Put back, after a failed setup or by {@code nginx rollback}. */
  public static final String RESTORED = "restored";

  static final String MANIFEST = "manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One saved path. {@code kind}: {@code file}, {@code symlink} or {@code absent}. */
  public record SavedFile(String path, String kind, String backup, String linkTarget, String permissions, int uid, int gid) {}

  /** What {@code manifest.json} holds. */
  public record Manifest(String id, String created, List<String> names, String state, List<SavedFile> files) {}

  private final Path dir;
  private Manifest manifest;

  private RollbackPoint(Path dir, Manifest manifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** Saves {@code paths} into the new directory {@code dir}. */
  static RollbackPoint take(Path dir, String id, String created, List<String> names, List<Path> paths) throws IOException {
    Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    List<SavedFile> saved = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i).toAbsolutePath().normalize();
      if (Files.isSymbolicLink(p)) {
        saved.add(new SavedFile(p.toString(), "symlink", null, Files.readSymbolicLink(p).toString(), null, 0, 0));
      } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        String backup = "file-" + i;
        GeneratedFile.writeAtomically(dir.resolve(backup), Files.readAllBytes(p), PosixFilePermissions.fromString("rw-------"));
        saved.add(new SavedFile(
            p.toString(), "file", backup, null,
            PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)),
            (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
            (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)));
      } else {
        saved.add(new SavedFile(p.toString(), "absent", null, null, null, 0, 0));
      }
    }
    RollbackPoint point = new RollbackPoint(dir, new Manifest(id, created, List.copyOf(names), TAKEN, saved));
    point.save();
    return point;
  }

  static RollbackPoint load(Path dir) throws IOException {
    return new RollbackPoint(dir, JSON.readValue(dir.resolve(MANIFEST).toFile(), Manifest.class));
  }

  /**
   * Puts every saved path back as it was: files byte for byte with their mode and owner (written whole,
   * then renamed into place), links with their target; paths that did not exist are removed.
   *
   * @return one line per path, saying what was done
   */
  public List<String> restore() throws IOException {
    List<String> done = new ArrayList<>();
    for (SavedFile f : manifest.files()) {
      Path p = Path.of(f.path());
      switch (f.kind()) {
        case "absent" -> {
          if (Files.deleteIfExists(p)) {
            done.add("removed " + p);
          }
        }
        case "symlink" -> {
          Files.deleteIfExists(p);
          Files.createSymbolicLink(p, Path.of(f.linkTarget()));
          done.add("restored link " + p + " -> " + f.linkTarget());
        }
        case "file" -> {
          if (Files.isSymbolicLink(p)) {
            Files.delete(p);
          }
          GeneratedFile.writeAtomically(
              p, Files.readAllBytes(dir.resolve(f.backup())), PosixFilePermissions.fromString(f.permissions()));
          if ((Integer) Files.getAttribute(p, "unix:uid") != f.uid()) {
            Files.setAttribute(p, "unix:uid", f.uid());
          }
          if ((Integer) Files.getAttribute(p, "unix:gid") != f.gid()) {
            Files.setAttribute(p, "unix:gid", f.gid());
          }
          done.add("restored " + p);
        }
        default -> throw new IOException(dir.resolve(MANIFEST) + ": unknown kind '" + f.kind() + "' for " + p);
      }
    }
    setState(RESTORED);
    return done;
  }

  void setState(String state) throws IOException {
    manifest = new Manifest(manifest.id(), manifest.created(), manifest.names(), state, manifest.files());
    save();
  }

  private void save() throws IOException {
    GeneratedFile.writeAtomically(dir.resolve(MANIFEST), JSON.writeValueAsBytes(manifest), PosixFilePermissions.fromString("rw-------"));
  }

  public String id() {
    return manifest.id();
  }

  public String created() {
    return manifest.created();
  }

  public List<String> names() {
    return manifest.names();
  }

  public String state() {
    return manifest.state();
  }

  public List<SavedFile> files() {
    return manifest.files();
  }

  public Path dir() {
    return dir;
  }
}
