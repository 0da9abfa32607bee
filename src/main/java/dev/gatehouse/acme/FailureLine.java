package dev.gatehouse.acme;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

/**
 * The one log line for a failure: the name, what failed, the CA's problem (type and detail, RFC 8555
 * §6.7), and the likely fix, e.g. {@code www.example.com: http-01 validation failed: connection: Connection
 * refused — likely fix: open port 80 to the internet and point the DNS A/AAAA records of www.example.com
 * at this server}.
 */
final class FailureLine {
  private FailureLine() {}

  private static final String ERROR_PREFIX = "urn:ietf:params:acme:error:";

  /** A challenge the CA could not validate. */
  static String validation(String name, String challengeType, Problem problem) {
    String type = shortType(problem);
    return name + ": " + challengeType + " validation failed: " + type + ": " + oneLine(problem.toString())
        + " — likely fix: " + validationFix(name, challengeType, type);
  }

  /** Any other failure of an ACME request for {@code names}. */
  static String request(String names, String directory, AcmeException e) {
    if (e instanceof AcmeRateLimitedException limited) {
      return names + ": rateLimited: " + oneLine(limited.getProblem().toString()) + " — likely fix: wait"
          + limited.getRetryAfter().map(t -> " until " + until(t)).orElse("")
          + documents(limited.getDocuments()) + "; Gatehouse retries by itself";
    }
    if (e instanceof AcmeUserActionRequiredException action) {
      return names + ": userActionRequired: " + oneLine(action.getProblem().toString())
          + " — likely fix: visit " + action.getInstance()
          + action.getTermsOfServiceUri().map(tos -> " and accept the terms " + tos).orElse("");
    }
    if (e instanceof AcmeServerException server) {
      String type = shortType(server.getProblem());
      return names + ": " + type + ": " + oneLine(server.getProblem().toString()) + " — likely fix: "
          + requestFix(type);
    }
    if (e instanceof AcmeNetworkException) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return names + ": cannot reach the ACME CA at " + directory + " (" + cause.getClass().getSimpleName()
          + describe(cause) + ") — likely fix: check --ca/--acme-directory and this machine's outbound"
          + " HTTPS; Gatehouse retries by itself";
    }
    return names + ": ACME request failed: " + oneLine(String.valueOf(e.getMessage()))
        + " — likely fix: check --ca/--acme-directory points at an ACME (RFC 8555) directory";
  }

  static String shortType(Problem problem) {
    String type = problem.getType().toString();
    return type.startsWith(ERROR_PREFIX) ? type.substring(ERROR_PREFIX.length()) : type;
  }

  private static String validationFix(String name, String challengeType, String type) {
    boolean http = challengeType.equals("http-01");
    boolean dns = challengeType.equals("dns-01");
    String port = http ? "port 80" : "port 443";
    String txt = "_acme-challenge." + (name.startsWith("*.") ? name.substring(2) : name);
    switch (type) {
      case "connection":
        return dns
            ? "check the zone's authoritative DNS servers answer for " + txt
            : "open " + port + " to the internet and point the DNS A/AAAA records of " + name
                + " at this server";
      case "dns":
        return dns
            ? "make --dns-hook publish the TXT record " + txt
                + " and wait until the authoritative servers serve it"
            : "create DNS A/AAAA records for " + name + " pointing at this server";
      case "unauthorized":
      case "incorrectResponse":
        if (dns) {
          return "the TXT record " + txt + " holds another value: remove stale records"
              + " and check --dns-hook writes to the right zone";
        }
        return "another server answered on " + port + ": DNS for " + name + " points elsewhere, or a"
            + " proxy/CDN in front does not pass " + (http ? "/.well-known/acme-challenge/" : "acme-tls/1")
            + " through to Gatehouse";
      case "tls":
        return "the TLS handshake on port 443 of " + name + " failed: point DNS at this server and make sure"
            + " nothing in front terminates TLS";
      case "caa":
        return "a CAA record on " + name + " or a parent domain forbids this CA: add a CAA issue record for"
            + " it (letsencrypt.org for Let's Encrypt) or remove the CAA record";
      case "rejectedIdentifier":
      case "unsupportedIdentifier":
        return "this CA will not certify " + name + ": remove it from the site or serve it with --ca internal";
      default:
        return http || dns
            ? "check what " + name + " answers for the challenge, then retry"
            : "check that " + name + " reaches this server on port 443, then retry";
    }
  }

  private static String requestFix(String type) {
    switch (type) {
      case "externalAccountRequired":
        return "this CA needs external account binding: pass --eab-kid and --eab-hmac from its dashboard";
      case "invalidContact":
      case "unsupportedContact":
        return "the CA refused the --email address: use a working address on a domain with MX records";
      case "badCSR":
      case "badPublicKey":
      case "badSignatureAlgorithm":
        return "this CA does not accept the key: try --key-type ecdsa-p256 or rsa2048";
      case "rejectedIdentifier":
      case "unsupportedIdentifier":
        return "this CA will not certify one of the names: remove it or serve it with --ca internal";
      case "caa":
        return "a CAA record forbids this CA: add a CAA issue record for it or remove the record";
      case "unauthorized":
        return "the account may not do this (another account owns the certificate?): check --email and"
            + " the state directory";
      case "serverInternal":
        return "the CA had an internal error; Gatehouse retries by itself";
      case "badNonce":
        return "the CA kept refusing request nonces; Gatehouse retries by itself";
      default:
        return "read the CA's message above; check --ca, --profile and --key-type";
    }
  }

  private static String documents(Collection<URL> docs) {
    return docs.isEmpty() ? "" : " (see " + docs.iterator().next() + ")";
  }

  private static String describe(Throwable cause) {
    return Optional.ofNullable(cause.getMessage()).map(m -> ": " + oneLine(m)).orElse("");
  }

  /** Problems may carry newlines (subproblems); a log line must not. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  static String until(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
