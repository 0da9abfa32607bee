package dev.gatehouse.localca;

/**
 * One place where clients look for trusted roots (the system store, an NSS database, a Java keystore).
 * Both operations are idempotent, touch only {@link LocalRoot}'s own entry, may block (they run tools
 * such as {@code certutil}) and never throw for a store they cannot change: they return a {@link
 * TrustChange} that says what to run instead.
 */
interface TrustStore {

  TrustChange install(LocalRoot root);

  TrustChange uninstall(LocalRoot root);
}
