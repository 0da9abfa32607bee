package dev.gatehouse.proxy;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a static file request gets: which representation (the file, or a precompressed {@code .br}/{@code
 * .gz} sibling the client accepts), and whether the answer is 200, 206, 304 or 416, with the caching headers
 * Django's {@code ManifestStaticFilesStorage} output deserves.
 */
final class StaticFiles {
  private StaticFiles() {}

  /** For names that carry a content hash: the name changes whenever the bytes do (RFC 8246). */
  static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";

  /** For everything else: short, so an edited file shows up quickly (WhiteNoise's default max-age is 60). */
  static final String CACHE_SHORT = "public, max-age=60";

  /** Precompressed siblings in preference order: Brotli, then gzip (what {@code compress_static} writes). */
  static final List<Precompressed> PRECOMPRESSED = List.of(new Precompressed("br", ".br"), new Precompressed("gzip", ".gz"));

  record Precompressed(String coding, String suffix) {}

  /**
   * One file to send.
   *
   * @param contentEncoding the coding of a precompressed sibling; empty for the file itself
   * @param varies whether a precompressed sibling exists, so caches must key on Accept-Encoding
   * @param fields the header fields of a 200 or 304 about it (a 206 changes Content-Length and adds
   *     Content-Range), built once: a cached file is sent many times; never modified, only copied
   */
  record Representation(
      Path file,
      String contentType,
      Optional<String> contentEncoding,
      boolean varies,
      long size,
      Instant lastModified,
      String etag,
      String cacheControl,
      HttpHeaders fields) {}

  /** The header fields of a 200 or 304 about a representation (see {@link Representation}). */
  private static HttpHeaders fields(
      long size,
      String contentType,
      Optional<String> contentEncoding,
      boolean varies,
      Instant lastModified,
      String etag,
      String cacheControl) {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .set(HttpHeaderNames.ETAG, etag)
            .set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(Date.from(lastModified)))
            .set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
    if (varies) {
      h.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    }
    // RFC 9110 §8.6: a 304 may carry the Content-Length the 200 would have had.
    h.set(HttpHeaderNames.CONTENT_LENGTH, size)
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes")
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set("x-content-type-options", "nosniff");
    contentEncoding.ifPresent(c -> h.set(HttpHeaderNames.CONTENT_ENCODING, c));
    return h;
  }

  /**
   * Picks the representation of {@code file} (a regular file already checked to be inside {@code root}).
   * Blocking file system calls: run off the event loop.
   *
   * @param acceptEncoding the request's Accept-Encoding, if any
   * @param rangeRequested a Range request gets the file itself, whose byte offsets the client can rely on
   */
  static Representation select(Path root, Path file, Optional<String> acceptEncoding, boolean rangeRequested)
      throws IOException {
    String name = file.getFileName().toString();
    Path chosen = file;
    Optional<String> coding = Optional.empty();
    boolean varies = false;
    for (Precompressed p : PRECOMPRESSED) {
      Path sibling = file.resolveSibling(name + p.suffix());
      if (!Files.isRegularFile(sibling) || !sibling.toRealPath().startsWith(root.toRealPath())) {
        continue;
      }
      varies = true;
      if (coding.isEmpty() && !rangeRequested && accepts(acceptEncoding, p.coding())) {
        chosen = sibling.toRealPath();
        coding = Optional.of(p.coding());
      }
    }
    BasicFileAttributes attributes = Files.readAttributes(chosen, BasicFileAttributes.class);
    Instant modified = attributes.lastModifiedTime().toInstant();
    String etag =
        "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified.toEpochMilli())
            + coding.map(c -> "-" + c).orElse("") + "\"";
    String contentType = ContentTypes.forFileName(name);
    String cacheControl = isHashedName(name) ? CACHE_IMMUTABLE : CACHE_SHORT;
    return new Representation(
        chosen,
        contentType,
        coding,
        varies,
        attributes.size(),
        modified,
        etag,
        cacheControl,
        fields(attributes.size(), contentType, coding, varies, modified, etag, cacheControl));
  }

  /**
   * Whether {@code name} carries a ManifestStaticFilesStorage hash: a dot-separated segment of 12 lower-case
   * hex digits between the base name and the extension ({@code app.3f2a9c1b7d4e.css}).
   */
  private static final Pattern MANIFEST_HASH = Pattern.compile("[0-9a-f]{12}");

  static boolean isHashedName(String name) {
    String[] parts = name.split("\\.");
    for (int i = 1; i < parts.length - 1; i++) {
      if (MANIFEST_HASH.matcher(parts[i]).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Which of {@link #PRECOMPRESSED} the client accepts, as bits (bit i for entry i): all that {@link #select}
   * needs of Accept-Encoding, so requests that agree on it share a {@link StaticFileCache} entry.
   */
  static int acceptedCodings(Optional<String> acceptEncoding) {
    int bits = 0;
    for (int i = 0; i < PRECOMPRESSED.size(); i++) {
      if (accepts(acceptEncoding, PRECOMPRESSED.get(i).coding())) {
        bits |= 1 << i;
      }
    }
    return bits;
  }

  /** RFC 9110 §12.5.3: a coding is acceptable if listed (or {@code *} is) with a q-value above zero. */
  static boolean accepts(Optional<String> acceptEncoding, String coding) {
    if (acceptEncoding.isEmpty()) {
      return false;
    }
    Optional<Double> wildcard = Optional.empty();
    for (String element : acceptEncoding.get().split(",")) {
      String[] params = element.split(";");
      String token = params[0].trim().toLowerCase(Locale.ROOT);
      double q = 1.0;
      for (int i = 1; i < params.length; i++) {
        String param = params[i].trim().toLowerCase(Locale.ROOT);
        if (param.startsWith("q=")) {
          try {
            q = Double.parseDouble(param.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (token.equals(coding)) {
        return q > 0;
      }
      if (token.equals("*")) {
        wildcard = Optional.of(q);
      }
    }
    return wildcard.map(q -> q > 0).orElse(false);
  }

  /** How a GET or HEAD for {@code rep} is answered, given the request's conditional and Range fields. */
  sealed interface Answer {
    Representation representation();
  }

  record Full(Representation representation) implements Answer {}

  record Partial(Representation representation, ByteRange range) implements Answer {}

  record NotModified(Representation representation) implements Answer {}

  record Unsatisfiable(Representation representation) implements Answer {}

  /**
   * RFC 9110 §13.2.2 order: If-None-Match (weak comparison) decides 304, and only without it
   * If-Modified-Since; then Range, honoured only if If-Range still matches (§13.1.5).
   */
  static Answer evaluate(Representation rep, HttpHeaders request) {
    String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      if (matchesAny(ifNoneMatch, rep.etag())) {
        return new NotModified(rep);
      }
    } else {
      Date since = DateFormatter.parseHttpDate(request.get(HttpHeaderNames.IF_MODIFIED_SINCE, ""));
      if (since != null && rep.lastModified().getEpochSecond() <= since.toInstant().getEpochSecond()) {
        return new NotModified(rep);
      }
    }
    String range = request.get(HttpHeaderNames.RANGE);
    if (range == null || !ifRangeHolds(request.get(HttpHeaderNames.IF_RANGE), rep)) {
      return new Full(rep);
    }
    ByteRange.Result result = ByteRange.parse(Optional.of(range), rep.size());
    if (result instanceof ByteRange.Partial partial) {
      return new Partial(rep, partial.range());
    }
    if (result instanceof ByteRange.Unsatisfiable) {
      return new Unsatisfiable(rep);
    }
    return new Full(rep);
  }

  private static boolean matchesAny(String ifNoneMatch, String etag) {
    if (ifNoneMatch.trim().equals("*")) {
      return true;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** If-Range holds with a strongly equal ETag or the exact Last-Modified date (RFC 9110 §13.1.5). */
  private static boolean ifRangeHolds(String ifRange, Representation rep) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return v.equals(rep.etag());
    }
    Date date = DateFormatter.parseHttpDate(v);
    return date != null && date.toInstant().getEpochSecond() == rep.lastModified().getEpochSecond();
  }

  /** The response head for an answer; the body (if any) is the caller's to stream. */
  static HttpResponse head(Answer answer) {
    Representation rep = answer.representation();
    if (answer instanceof Unsatisfiable) {
      HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
      HttpHeaders h = response.headers();
      h.set(HttpHeaderNames.ETAG, rep.etag())
          .set(HttpHeaderNames.LAST_MODIFIED, rep.fields().get(HttpHeaderNames.LAST_MODIFIED))
          .set(HttpHeaderNames.CACHE_CONTROL, rep.cacheControl());
      if (rep.varies()) {
        h.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
      }
      h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + rep.size());
      h.set(HttpHeaderNames.CONTENT_LENGTH, 0);
      return response;
    }
    HttpResponseStatus status =
        answer instanceof Partial
            ? HttpResponseStatus.PARTIAL_CONTENT
            : answer instanceof NotModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK;
    // A copy of a whole header map takes its entries as they are, without validating each name and value
    // again as a field-by-field build would.
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, rep.fields().copy());
    if (answer instanceof Partial p) {
      response.headers()
          .set(HttpHeaderNames.CONTENT_LENGTH, p.range().length())
          .set(HttpHeaderNames.CONTENT_RANGE, p.range().contentRange(rep.size()));
    }
    return response;
  }

}
