package dev.gatehouse.nginx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rollback points under {@code STATE_DIR/nginx-rollback/}, named by the UTC time they were taken
 * ({@code 20261122-213550}), so that names sort in time order.
 */
public final class RollbackPoints {

  public static final String DIR_NAME = "nginx-rollback";

  private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path root;
  private final Clock clock;

  public RollbackPoints(Path stateDir, Clock clock) {
    this.root = stateDir.resolve(DIR_NAME);
    this.clock = clock;
  }

  /** Saves the current state of {@code paths} (files, links or nothing) as a new point. */
  public RollbackPoint take(List<String> names, List<Path> paths) throws IOException {
    String base = ID.format(clock.instant());
    String created = clock.instant().toString();
    for (int n = 1; ; n++) {
      String id = n == 1 ? base : base + "-" + n;
      try {
        return RollbackPoint.take(root.resolve(id), id, created, names, paths);
      } catch (FileAlreadyExistsException e) {
        // two setups in one second: the next suffix
      }
    }
  }

  /** Every point, oldest first. */
  public List<RollbackPoint> list() throws IOException {
    List<RollbackPoint> points = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return points;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path d : dirs) {
        if (Files.isRegularFile(d.resolve(RollbackPoint.MANIFEST))) {
          points.add(RollbackPoint.load(d));
        }
      }
    }
    points.sort(Comparator.comparing(RollbackPoint::id));
    return points;
  }

  public Optional<RollbackPoint> find(String id) throws IOException {
    return list().stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The newest point of a setup that finished: what {@code nginx rollback} without an id restores. */
  public Optional<RollbackPoint> latestApplied() throws IOException {
    List<RollbackPoint> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).state().equals(RollbackPoint.APPLIED)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  public Path root() {
    return root;
  }
}
