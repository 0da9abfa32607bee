package dev.gatehouse.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that encrypts secrets (private keys, account keys, challenge keys) in a shared store and in
 * the local last-served copy. Only the nodes hold it, in a 0600 file ({@code --store-key-file}): a database
 * dump or backup alone gives no private key. AES-GCM (NIST SP 800-38D) with a random 12-byte nonce per write
 * and the storage key as associated data, so a row copied under another key does not decrypt. A sealed value
 * is {@code version byte 1 || nonce || ciphertext+tag}.
 */
public final class StoreKey {

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final byte FORMAT = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final Path file;

  private StoreKey(byte[] key, Path file) {
    this.key = key;
    this.file = file;
  }

  /**
   * Reads the key from {@code file}: one line of base64 (32 bytes).
   *
   * @throws StoreKeyException when the file is missing, unreadable, readable by others, or not a key
   */
  public static StoreKey read(Path file) throws StoreKeyException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new StoreKeyException(file, "does not exist (copy it from a node that has it; expected: the same"
          + " file on every node of the cluster)");
    } catch (IOException e) {
      throw new StoreKeyException(file, "cannot be read (" + e.getMessage() + ")");
    }
    String mode;
    try {
      mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    } catch (IOException e) {
      throw new StoreKeyException(file, "cannot be read (" + e.getMessage() + ")");
    }
    if (!mode.endsWith("------")) {
      throw new StoreKeyException(file, "is readable by other users (expected: mode 0600, chmod 600 " + file + ")");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      key = new byte[0];
    }
    if (key.length != KEY_BYTES) {
      throw new StoreKeyException(file, "is not a store key (expected: one line of base64 holding 32 bytes, as"
          + " gatehouse writes it)");
    }
    return new StoreKey(key, file);
  }

  /**
   * Creates a new random key in {@code file} (0600; temp file, fsync, rename), failing if one exists: two
   * processes creating at once must not end up with different keys.
   */
  public static StoreKey create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temporary = dir.resolve(FileStorage.TEMP_PREFIX + file.getFileName() + "-" + HexFormat.of().formatHex(
        Arrays.copyOf(key, 4)));
    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(FileStorage.SECRET));
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII)));
        out.force(true);
      }
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return new StoreKey(key, file);
  }

  public Path file() {
    return file;
  }

  /**
   * A short public fingerprint of the key (SHA-256 of a label and the key, first 8 bytes, hex), stored next to
   * the data so a node with another key is told at start instead of failing on the first secret.
   */
  public String fingerprint() {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("gatehouse store key fingerprint".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(Arrays.copyOf(sha256.digest(key), 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** {@code plaintext} encrypted for {@code storageKey}. */
  public byte[] seal(String storageKey, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, storageKey);
      ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length));
      out.put(FORMAT).put(nonce).put(cipher.doFinal(plaintext));
      return out.array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  /**
   * The plaintext of what {@link #seal} made for {@code storageKey}.
   *
   * @throws StoreKeyException when it was sealed with another key, for another storage key, or was altered
   */
  public byte[] open(String storageKey, byte[] sealed) throws StoreKeyException {
    if (sealed.length < 1 + NONCE_BYTES || sealed[0] != FORMAT) {
      throw new StoreKeyException(file, "cannot decrypt '" + storageKey + "': not sealed by gatehouse");
    }
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES), storageKey);
      return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new StoreKeyException(file, "does not decrypt '" + storageKey + "' (expected: the key file the other"
          + " nodes use)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JDK", e);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String storageKey) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
