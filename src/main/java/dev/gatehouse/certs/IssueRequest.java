package dev.gatehouse.certs;

import dev.gatehouse.config.KeyType;
import java.util.List;
import java.util.Optional;

/**
 * @param names every name for one certificate; the first is its subject and storage name
 * @param replaces the certificate this one renews, for ARI's {@code replaces} (RFC 9773 §5)
 */
public record IssueRequest(List<String> names, KeyType keyType, Optional<CertifiedKey> replaces) {
  public IssueRequest {
    names = List.copyOf(names);
  }
}
