package dev.gatehouse.localca;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts the local root into, or takes it out of, every trust store a developer's clients read, as {@code
 * mkcert -install} does: the system store, Chromium/Chrome's NSS database, each Firefox profile's, and on
 * request the Java runtime's. Each store is tried on its own; one that cannot be changed does not stop
 * the others.
 */
public final class LocalCaTrust {

  private final List<TrustStore> stores;

  private LocalCaTrust(List<TrustStore> stores) {
    this.stores = stores;
  }

  /**
   * The stores of the user whose home is {@code home}; {@code env} may move the system and Java stores
   * (see {@link SystemTrustStore}, {@link JavaTrustStore}).
   */
  public static LocalCaTrust forUser(Path home, Map<String, String> env, boolean java) {
    List<TrustStore> stores = new ArrayList<>();
    stores.add(SystemTrustStore.fromEnvironment(env));
    stores.addAll(NssTrustStore.under(home));
    if (java) {
      stores.add(JavaTrustStore.fromEnvironment(env));
    }
    return new LocalCaTrust(stores);
  }

  /** Runs the tools each store needs: may block for seconds. */
  public List<TrustChange> install(LocalRoot root) {
    return stores.stream().map(s -> s.install(root)).toList();
  }

  /** Removes {@code root} only: other roots in the same stores, Gatehouse's older ones too, stay. */
  public List<TrustChange> uninstall(LocalRoot root) {
    return stores.stream().map(s -> s.uninstall(root)).toList();
  }
}
