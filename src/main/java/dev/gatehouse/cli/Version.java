package dev.gatehouse.cli;

import picocli.CommandLine;

/** The version from the jar's manifest, or "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"gatehouse " + number()};
  }

  /** The bare version, {@code dev} when run from classes. */
  static String number() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
