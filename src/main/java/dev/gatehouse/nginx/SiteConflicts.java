package dev.gatehouse.nginx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The existing nginx files that already serve the site's names. nginx uses the first server block for a
 * name and ignores the rest with only a warning, so the new site works only once they are gone: setup
 * disables them (they are in the rollback point). It refuses files it cannot disable safely: outside the
 * sites directory, or serving other names as well.
 */
final class SiteConflicts {
  private SiteConflicts() {}

  /**
   * @param target the file setup writes, which is not a conflict (a second run replaces it)
   * @return the files to disable
   * @throws SetupException when a file serving one of the names cannot be disabled
   */
  static List<Path> find(NginxConfigDump dump, List<String> names, Path sitesDir, Path target, String step)
      throws SetupException {
    Set<Path> files = new LinkedHashSet<>();
    for (NginxConfigDump.ServerNames sn : dump.serverNames()) {
      if (sn.file().equals(target) || sn.names().stream().noneMatch(names::contains)) {
        continue;
      }
      if (!sn.file().getParent().equals(sitesDir)) {
        throw new SetupException(step, sn.file() + " serves " + overlap(sn, names)
            + " and is outside " + sitesDir + ": remove that server block, then run setup again");
      }
      files.add(sn.file());
    }
    for (Path file : files) {
      List<String> others = new ArrayList<>();
      for (NginxConfigDump.ServerNames sn : dump.serverNames()) {
        if (sn.file().equals(file)) {
          sn.names().stream().filter(n -> !names.contains(n) && !n.equals("_") && !others.contains(n)).forEach(others::add);
        }
      }
      if (!others.isEmpty()) {
        throw new SetupException(step, file + " serves " + String.join(" ", others)
            + " too, which setup would take down with it: move those to their own file, or list them as DOMAIN");
      }
    }
    return List.copyOf(files);
  }

  private static String overlap(NginxConfigDump.ServerNames sn, List<String> names) {
    return String.join(" ", sn.names().stream().filter(names::contains).toList());
  }
}
