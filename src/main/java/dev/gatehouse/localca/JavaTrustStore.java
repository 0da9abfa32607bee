package dev.gatehouse.localca;

import dev.gatehouse.store.FileStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;

/**
 * The Java runtime's trust store ({@code lib/security/cacerts}, Debian's is a link to {@code
 * /etc/ssl/certs/java/cacerts}), for Java clients of the dev server. Changed through the KeyStore API and
 * written back whole ({@link FileStorage}: temporary file, fsync, rename) to the file the link points at, so
 * the link stays.
 * {@value #CACERTS_VARIABLE} names another keystore; its password is the JDK's default, {@value #PASSWORD}.
 */
final class JavaTrustStore implements TrustStore {

  static final String CACERTS_VARIABLE = "GATEHOUSE_JAVA_CACERTS";
  static final String PASSWORD = "changeit";

  private final Path keystore;
  private final String store;

  JavaTrustStore(Path keystore) {
    this.keystore = keystore;
    this.store = "Java trust store " + keystore;
  }

  static JavaTrustStore fromEnvironment(Map<String, String> env) {
    String configured = env.get(CACERTS_VARIABLE);
    return new JavaTrustStore(configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"));
  }

  @Override
  public TrustChange install(LocalRoot root) {
    String finish = "sudo keytool -importcert -noprompt -cacerts -storepass " + PASSWORD + " -alias " + root.alias()
        + " -file " + root.pem();
    try {
      KeyStore ks = load();
      if (ks.containsAlias(root.alias())) {
        return TrustChange.unchanged(store, "already trusts " + root.alias());
      }
      ks.setCertificateEntry(root.alias(), root.certificate());
      save(ks);
      return TrustChange.done(store, "added " + root.alias());
    } catch (AccessDeniedException e) {
      return TrustChange.needsUser(store, "no permission to write " + e.getFile(), finish);
    } catch (IOException | GeneralSecurityException e) {
      return TrustChange.needsUser(store, e.getMessage(), finish);
    }
  }

  @Override
  public TrustChange uninstall(LocalRoot root) {
    String finish = "sudo keytool -delete -cacerts -storepass " + PASSWORD + " -alias " + root.alias();
    try {
      KeyStore ks = load();
      if (!ks.containsAlias(root.alias())) {
        return TrustChange.unchanged(store, "has no " + root.alias());
      }
      ks.deleteEntry(root.alias());
      save(ks);
      return TrustChange.done(store, "removed " + root.alias());
    } catch (AccessDeniedException e) {
      return TrustChange.needsUser(store, "no permission to write " + e.getFile(), finish);
    } catch (IOException | GeneralSecurityException e) {
      return TrustChange.needsUser(store, e.getMessage(), finish);
    }
  }

  private KeyStore load() throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, PASSWORD.toCharArray());
      return ks;
    }
  }

  private void save(KeyStore ks) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, PASSWORD.toCharArray());
    Path file = keystore.toRealPath();
    new FileStorage(file.getParent()).store(file.getFileName().toString(), out.toByteArray(), false);
  }
}
