package dev.gatehouse.acme;

/**
 * Where {@link AcmeIssuer} reports each step of a long operation (each name, each challenge, the wait for
 * validation): a terminal shows them, a script or a server log may ignore them. Called on the issuing
 * thread; implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface IssuanceProgress {

  IssuanceProgress SILENT = line -> {};

  void step(String line);
}
