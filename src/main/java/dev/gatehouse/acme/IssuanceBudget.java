package dev.gatehouse.acme;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gatehouse's own limits per CA, kept well under Let's Encrypt's (5 failed validations per name per hour,
 * 5 certificates per identical name set per week: https://letsencrypt.org/docs/rate-limits/) so that a
 * misconfigured site or a restart loop never locks the operator out. Persisted in storage, so restarts and
 * other {@code gatehouse} processes on the same state directory count together. Safe for concurrent use.
 */
final class IssuanceBudget {

  /**
   * @param failedValidationsPerHour failed validations per name in any hour
   * @param certificatesPerWeek certificates per identical set of names in any 7 days
   */
  record Limits(int failedValidationsPerHour, int certificatesPerWeek) {
    /** Three of each: room for a retry, two below Let's Encrypt's five. */
    static final Limits DEFAULT = new Limits(3, 3);
  }

  static final Duration FAILURE_WINDOW = Duration.ofHours(1);
  static final Duration CERTIFICATE_WINDOW = Duration.ofDays(7);

  private static final System.Logger LOG = System.getLogger(IssuanceBudget.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, TreeMap<String, List<Long>>>> SHAPE =
      new TypeReference<>() {};
  private static final String FAILURES = "failedValidations";
  private static final String CERTIFICATES = "certificates";

  private final Storage storage;
  private final String key;
  private final Clock clock;
  private final Limits limits;

  /**
   * @param key the storage key of this CA's budget record
   */
  IssuanceBudget(Storage storage, String key, Clock clock, Limits limits) {
    this.storage = storage;
    this.key = key;
    this.clock = clock;
    this.limits = limits;
  }

  /**
   * @throws IssuanceException with the moment the budget allows the next try, when a name had too many
   *     failed validations in the last hour or the name set got too many certificates this week
   */
  void checkAllowed(List<String> names) throws IssuanceException {
    Instant now = clock.instant();
    var record = read();
    for (String name : names) {
      Optional<Instant> until =
          blockedUntil(record.get(FAILURES).get(name), limits.failedValidationsPerHour(), FAILURE_WINDOW, now);
      if (until.isPresent()) {
        throw new IssuanceException(
            name + ": " + limits.failedValidationsPerHour() + " failed validations in the last hour (Gatehouse"
                + " stops there, below Let's Encrypt's limit of 5) — likely fix: correct the cause logged"
                + " above; the next try is after " + FailureLine.until(until.get()),
            until,
            null);
      }
    }
    String set = nameSet(names);
    Optional<Instant> until =
        blockedUntil(record.get(CERTIFICATES).get(set), limits.certificatesPerWeek(), CERTIFICATE_WINDOW, now);
    if (until.isPresent()) {
      throw new IssuanceException(
          set + ": " + limits.certificatesPerWeek() + " certificates for these names in 7 days (Gatehouse stops"
              + " there, below Let's Encrypt's limit of 5) — likely fix: use the stored certificate; the next"
              + " is allowed after " + FailureLine.until(until.get()),
          until,
          null);
    }
  }

  /**
   * {@code accounts/CA/EMAIL/issuance-budget.json}: next to the account, since Let's Encrypt counts failed
   * validations per account.
   */
  static String key(AcmeSettings settings) {
    return StorageKeys.issuanceBudget(settings.directory(), settings.email());
  }

  void recordFailedValidation(String name) throws IOException {
    record(FAILURES, name);
  }

  void recordCertificate(List<String> names) throws IOException {
    record(CERTIFICATES, nameSet(names));
  }

  /** Let's Encrypt counts a name set regardless of order and case. */
  static String nameSet(List<String> names) {
    TreeSet<String> sorted = new TreeSet<>();
    names.forEach(n -> sorted.add(n.toLowerCase(Locale.ROOT)));
    return String.join(",", sorted);
  }

  private static Optional<Instant> blockedUntil(List<Long> events, int limit, Duration window, Instant now) {
    if (events == null) {
      return Optional.empty();
    }
    List<Instant> recent =
        events.stream().map(Instant::ofEpochSecond).filter(t -> t.isAfter(now.minus(window))).sorted().toList();
    if (recent.size() < limit) {
      return Optional.empty();
    }
    return Optional.of(recent.get(recent.size() - limit).plus(window));
  }

  @SuppressWarnings("try") // the lock is held, not used
  private void record(String kind, String what) throws IOException {
    try (Storage.Lock lock = storage.lock(key)) {
      var record = read();
      Instant now = clock.instant();
      record.get(kind).computeIfAbsent(what, k -> new ArrayList<>()).add(now.getEpochSecond());
      prune(record.get(FAILURES), now.minus(FAILURE_WINDOW));
      prune(record.get(CERTIFICATES), now.minus(CERTIFICATE_WINDOW));
      storage.store(key, JSON.writeValueAsBytes(record), false);
    }
  }

  private static void prune(Map<String, List<Long>> entries, Instant since) {
    entries.values().forEach(times -> times.removeIf(t -> t <= since.getEpochSecond()));
    entries.values().removeIf(List::isEmpty);
  }

  /** {@code {"failedValidations": {NAME: [epoch seconds]}, "certificates": {NAMES: [epoch seconds]}}}. */
  private TreeMap<String, TreeMap<String, List<Long>>> read() {
    TreeMap<String, TreeMap<String, List<Long>>> record = null;
    try {
      Optional<byte[]> bytes = storage.load(key);
      if (bytes.isPresent()) {
        record = JSON.readValue(new String(bytes.get(), StandardCharsets.UTF_8), SHAPE);
      }
    } catch (IOException e) {
      // An unreadable budget must not stop issuance for good: start counting afresh.
      LOG.log(Level.WARNING, key + ": unreadable issuance budget, counting afresh: "
          + FailureLine.oneLine(String.valueOf(e.getMessage())));
    }
    if (record == null) {
      record = new TreeMap<>();
    }
    record.computeIfAbsent(FAILURES, k -> new TreeMap<>());
    record.computeIfAbsent(CERTIFICATES, k -> new TreeMap<>());
    return record;
  }
}
