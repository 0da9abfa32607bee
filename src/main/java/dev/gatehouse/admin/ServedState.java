package dev.gatehouse.admin;

import dev.gatehouse.certs.CertificateStatus;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.proxy.HstsStage;
import java.util.List;

/**
 * What the admin listener reads from a running {@code serve}. Implementations answer from memory, without
 * blocking, and may be called from any thread; each call sees the latest reload.
 */
public interface ServedState {

  /** The configuration being served. */
  ServeConfig config();

  /** Every site's certificate, in the configuration's order. */
  List<CertificateStatus> certificates();

  /** The HSTS max-age each configured name is sent now. */
  List<HstsStage> hstsStages();
}
