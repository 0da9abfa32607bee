package dev.gatehouse.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The staged HSTS rollout of https://hstspreload.org/#deployment-recommendations: each host starts at
 * {@code max-age=300} and climbs through {@link #STAGES} while HTTPS keeps working for it, so a mistake in the
 * first days locks browsers out for minutes, not a year. Per configured host name, the state is the instant
 * since which HTTPS has worked without a break; it lives in an {@link HstsRampState} (the store's
 * {@code state/hsts.json}) so restarts keep the stage and the servers of one site share it, and is cleared
 * when the host's certificate is missing or not valid (the ramp starts over).
 *
 * <p>{@link #maxAge} is a map read, safe on event loops; {@link #observe} reads and writes the state and must
 * run elsewhere.
 */
final class HstsRamp {

  private static final System.Logger LOG = System.getLogger(HstsRamp.class.getName());
  /**
   * The state is one flat object, so jackson-core's streaming parser and generator do; databind's
   * ObjectMapper would load about 400 classes before the ports accept (issue 6).
   */
  private static final JsonFactory JSON = new JsonFactory();

  /** A max-age and how long HTTPS must have worked before it is sent. */
  record Stage(Duration after, long maxAgeSeconds) {}

  /**
   * Each stage is held for at least a day and at least its own max-age, so a browser that saw it would have
   * forgotten it again by the time the next, longer one is sent, were HTTPS to break.
   */
  static final List<Stage> STAGES =
      List.of(
          new Stage(Duration.ZERO, 300),
          new Stage(Duration.ofDays(1), 86_400),
          new Stage(Duration.ofDays(2), 604_800),
          new Stage(Duration.ofDays(9), 2_592_000),
          new Stage(Duration.ofDays(39), 31_536_000));

  private final HstsRampState state;
  private final Clock clock;
  private volatile Map<String, Instant> healthySince;

  /** Loads the saved state (blocking); a state that cannot be read is logged and the ramp starts over. */
  HstsRamp(HstsRampState state, Clock clock) {
    this.state = state;
    this.clock = clock;
    Map<String, Instant> saved;
    try {
      saved = load();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "HSTS: cannot read the ramp state (" + e.getMessage() + "); the first stage is sent"
          + " until it can be");
      saved = Map.of();
    }
    this.healthySince = saved;
  }

  /** The max-age to send for {@code name} now: the first stage for a name without a healthy record. */
  long maxAge(String name) {
    Instant since = healthySince.get(name);
    long maxAge = STAGES.get(0).maxAgeSeconds();
    if (since == null) {
      return maxAge;
    }
    Duration healthy = Duration.between(since, clock.instant());
    for (Stage stage : STAGES) {
      if (healthy.compareTo(stage.after()) >= 0) {
        maxAge = stage.maxAgeSeconds();
      }
    }
    return maxAge;
  }

  /** When {@code name} moves to its next stage if HTTPS keeps working; empty at the last stage or unhealthy. */
  Optional<Instant> nextRise(String name) {
    Instant since = healthySince.get(name);
    if (since == null) {
      return Optional.empty();
    }
    Duration healthy = Duration.between(since, clock.instant());
    return STAGES.stream()
        .filter(stage -> healthy.compareTo(stage.after()) < 0)
        .findFirst()
        .map(stage -> since.plus(stage.after()));
  }

  /**
   * Records which configured names are served with a valid certificate right now: healthy names keep (or
   * start) their record, the others and names no longer configured lose it. The records start from the saved
   * state, not this server's memory, so a ramp another server of the site started or restarted is this one's
   * too. Saves the state when anything changed. Blocking: never call on an event loop.
   */
  synchronized void observe(Map<String, Boolean> healthByName) {
    Instant now = clock.instant();
    Map<String, Instant> saved;
    boolean readable = true;
    try {
      saved = load();
    } catch (IOException e) {
      // The store logs its own outage. What this server knows is kept in memory and not saved over the
      // site's stage, which it could not read, until the store answers again.
      saved = healthySince;
      readable = false;
    }
    Map<String, Instant> base = saved;
    Map<String, Instant> next = new TreeMap<>();
    healthByName.forEach(
        (name, healthy) -> {
          if (healthy) {
            next.put(name, base.getOrDefault(name, now));
          }
        });
    healthySince = Collections.unmodifiableMap(next);
    if (next.equals(base)) {
      return;
    }
    healthByName.forEach(
        (name, healthy) -> {
          if (!healthy && base.containsKey(name)) {
            LOG.log(Level.WARNING, "HSTS: HTTPS for " + name + " is broken (no valid certificate); ramp restarts");
          }
        });
    if (!readable) {
      return;
    }
    try {
      state.save(toJson(next));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "HSTS: cannot save the ramp state: " + e.getMessage() + " (the stage is kept in memory)");
    }
  }

  /** The saved records; none when nothing was saved or what was is unreadable (the ramp starts over). */
  private Map<String, Instant> load() throws IOException {
    Optional<byte[]> saved = state.load();
    if (saved.isEmpty()) {
      return Map.of();
    }
    try (JsonParser parser = JSON.createParser(saved.get())) {
      Map<String, Instant> since = new TreeMap<>();
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("expected a JSON object of host name to instant");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() != JsonToken.VALUE_STRING) {
          throw new IOException(name + ": expected an instant in quotes");
        }
        since.put(name, Instant.parse(parser.getText()));
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw new IOException("unexpected " + parser.currentToken() + " in the object");
      }
      return Collections.unmodifiableMap(since);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "HSTS: ignoring an unreadable ramp state (" + e.getMessage() + "); ramp restarts");
      return Map.of();
    }
  }

  private static byte[] toJson(Map<String, Instant> since) throws IOException {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator generator = JSON.createGenerator(json).useDefaultPrettyPrinter()) {
      generator.writeStartObject();
      for (Map.Entry<String, Instant> entry : since.entrySet()) {
        generator.writeStringField(entry.getKey(), entry.getValue().toString());
      }
      generator.writeEndObject();
    }
    return json.toByteArray();
  }
}
