package dev.gatehouse.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackPointTest {

  private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void restorePutsFilesLinksAndAbsencesBackExactly(@TempDir Path dir) throws Exception {
    Path sites = Files.createDirectories(dir.resolve("sites"));
    Path file = sites.resolve("app.conf");
    Files.write(file, new byte[] {'s', 'e', 'r', 'v', 'e', 'r', 0, (byte) 0xff, '\n'});
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    Path link = sites.resolve("enabled");
    Files.createSymbolicLink(link, Path.of("../available/enabled"));
    Path absent = sites.resolve("gatehouse-app.conf");
    Map<String, String> before = FileSnapshot.of(sites);

    RollbackPoints points = new RollbackPoints(dir.resolve("state"), NOON);
    RollbackPoint point = points.take(List.of("app.test"), List.of(file, link, absent));
    Files.writeString(file, "changed");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.delete(link);
    Files.writeString(link, "a file where the link was");
    Files.writeString(absent, "created by setup");

    List<String> done = point.restore();

    assertThat(FileSnapshot.of(sites)).isEqualTo(before);
    assertThat(done).containsExactly("restored " + file, "restored link " + link + " -> ../available/enabled", "removed " + absent);
    assertThat(points.find(point.id()).orElseThrow().state()).isEqualTo(RollbackPoint.RESTORED);
  }

  @Test
  void pointsAreNamedByTimeKeptPrivateAndTheLatestAppliedIsTheDefault(@TempDir Path dir) throws Exception {
    RollbackPoints points = new RollbackPoints(dir.resolve("state"), NOON);
    RollbackPoint first = points.take(List.of("a.test"), List.of(dir.resolve("x")));
    first.setState(RollbackPoint.APPLIED);
    RollbackPoint second = points.take(List.of("b.test"), List.of(dir.resolve("y")));

    assertThat(first.id()).isEqualTo("20261122-120000");
    assertThat(second.id()).isEqualTo("20261122-120000-2");
    assertThat(points.list()).extracting(RollbackPoint::id).containsExactly(first.id(), second.id());
    assertThat(points.latestApplied()).map(RollbackPoint::id).contains(first.id());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(points.root()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.dir().resolve("manifest.json"))))
        .isEqualTo("rw-------");
  }
}
