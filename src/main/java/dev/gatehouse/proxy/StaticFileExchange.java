package dev.gatehouse.proxy;

import dev.gatehouse.config.StaticMount;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves a file from a static mount. Path checks, stat, open and every read run on the file executor; the
 * event loop only writes. A small file is read whole and kept in the {@link StaticFileCache}: while its entry
 * is fresh, requests for it are answered from memory without leaving the event loop. A larger file's body
 * goes out in {@value #CHUNK_BYTES}-byte pieces, the next one read only after the previous one has been
 * written, so a slow client holds one buffer, not the file; the lookup reads the first piece too. (A
 * FileRegion would avoid the copy, but every response here is encrypted, where Netty cannot use sendfile
 * anyway.)
 */
final class StaticFileExchange extends Exchange {

  private static final System.Logger LOG = System.getLogger(StaticFileExchange.class.getName());

  /** Size of each piece of a file body. */
  static final int CHUNK_BYTES = 64 << 10;

  private final StaticMount mount;
  private final RequestTarget target;
  private final Executor files;
  private final StaticFileCache cache;
  private FileChannel open;
  private long position;
  private long remaining;

  StaticFileExchange(
      ClientStream front, HttpRequest request, RequestInfo info, StaticMount mount, RequestTarget target) {
    super(front, request, info);
    this.mount = mount;
    this.target = target;
    this.files = front.runtime().fileExecutor();
    this.cache = front.runtime().staticFileCache();
  }

  /**
   * What the file executor found, for the event loop to send: a failure, a small file held in memory, or the
   * answer with the first piece of its body (if it has one) and the still open file when more is to be read.
   */
  private record Lookup(
      ProxyFailure failure, StaticFileCache.Entry small, StaticFiles.Answer answer, ByteBuf first, FileChannel channel) {

    static Lookup failed(ProxyFailure failure) {
      return new Lookup(failure, null, null, null, null);
    }

    static Lookup small(StaticFileCache.Entry entry) {
      return new Lookup(null, entry, null, null, null);
    }
  }

  @Override
  void start() {
    if (!isRequestDone()) {
      front.readRequest();
    }
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse page = ErrorPages.page(ProxyFailure.METHOD_NOT_ALLOWED, front.alloc());
      page.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      respond(page);
      return;
    }
    String rest = target.rawPath().substring(mount.prefix().length());
    if (rest.isEmpty() || rest.endsWith("/")) {
      respond(ProxyFailure.NOT_FOUND);
      return;
    }
    boolean withBody = method.equals(HttpMethod.GET);
    StaticFileCache.Key key =
        new StaticFileCache.Key(
            mount.directory(),
            rest,
            StaticFiles.acceptedCodings(Optional.ofNullable(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING))),
            request.headers().contains(HttpHeaderNames.RANGE));
    // Only a path that passed the checks below and named a file inside the mount has an entry.
    StaticFileCache.Entry cached = cache.fresh(key);
    if (cached != null) {
      sendSmall(cached, withBody);
      return;
    }
    Optional<List<String>> segments = StaticPaths.segments(rest);
    if (segments.isEmpty()) {
      LOG.log(Level.INFO, () -> "refused static path " + info.uri() + " from " + info.client().getAddress().getHostAddress());
      respond(ProxyFailure.BAD_REQUEST);
      return;
    }
    HttpHeaders headers = new DefaultHttpHeaders().set(request.headers());
    try {
      files.execute(() -> {
        Lookup lookup = lookup(key, segments.get(), headers, withBody);
        front.eventLoop().execute(() -> answer(lookup));
      });
    } catch (RejectedExecutionException e) {
      respond(ProxyFailure.UNAVAILABLE);
    }
  }

  /** Runs on the file executor. */
  private Lookup lookup(StaticFileCache.Key key, List<String> segments, HttpHeaders headers, boolean withBody) {
    Path root = mount.directory();
    long statNanos = cache.now();
    Optional<Path> file = StaticPaths.resolve(root, segments);
    if (file.isEmpty()) {
      return Lookup.failed(ProxyFailure.NOT_FOUND);
    }
    try {
      StaticFiles.Representation rep =
          StaticFiles.select(
              root,
              file.get(),
              Optional.ofNullable(headers.get(HttpHeaderNames.ACCEPT_ENCODING)),
              headers.contains(HttpHeaderNames.RANGE));
      if (rep.size() <= StaticFileCache.MAX_FILE_BYTES) {
        StaticFileCache.Entry entry = new StaticFileCache.Entry(rep, readWhole(rep), statNanos);
        cache.put(key, entry);
        return Lookup.small(entry);
      }
      StaticFiles.Answer answer = StaticFiles.evaluate(rep, headers);
      boolean body = withBody && (answer instanceof StaticFiles.Full || answer instanceof StaticFiles.Partial);
      if (!body) {
        return new Lookup(null, null, answer, null, null);
      }
      FileChannel channel = FileChannel.open(rep.file(), StandardOpenOption.READ);
      long from = answer instanceof StaticFiles.Partial partial ? partial.range().first() : 0;
      long length = answer instanceof StaticFiles.Partial partial ? partial.range().length() : rep.size();
      ByteBuf first;
      try {
        first = read(channel, from, (int) Math.min(CHUNK_BYTES, length));
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (first.readableBytes() == length) {
        channel.close();
        channel = null;
      }
      return new Lookup(null, null, answer, first, channel);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "static file " + file.get() + ": " + e.getMessage());
      return Lookup.failed(ProxyFailure.NOT_FOUND);
    }
  }

  /** Reads a small file into memory of its own, which the cache and every response share read-only. */
  private static ByteBuffer readWhole(StaticFiles.Representation rep) throws IOException {
    ByteBuffer content = ByteBuffer.allocateDirect((int) rep.size());
    try (FileChannel channel = FileChannel.open(rep.file(), StandardOpenOption.READ)) {
      while (content.hasRemaining()) {
        if (channel.read(content, content.position()) < 0) {
          throw new IOException("file shrank while being read");
        }
      }
    }
    return content.flip().asReadOnlyBuffer();
  }

  /** Reads {@code length} bytes of {@code channel} from {@code from}; runs on the file executor. */
  private ByteBuf read(FileChannel channel, long from, int length) throws IOException {
    ByteBuf buffer = front.alloc().directBuffer(Math.max(length, 1));
    try {
      while (buffer.readableBytes() < length) {
        int n = buffer.writeBytes(channel, from + buffer.readableBytes(), length - buffer.readableBytes());
        if (n < 0) {
          throw new IOException("file shrank while being sent");
        }
      }
      return buffer;
    } catch (IOException | RuntimeException e) {
      buffer.release();
      throw e;
    }
  }

  /** Back on the event loop. */
  private void answer(Lookup lookup) {
    if (isFinished()) {
      if (lookup.first() != null) {
        lookup.first().release();
      }
      closeFile(lookup.channel());
      return;
    }
    if (lookup.failure() != null) {
      respond(lookup.failure());
      return;
    }
    if (lookup.small() != null) {
      sendSmall(lookup.small(), request.method().equals(HttpMethod.GET));
      return;
    }
    writeHead(StaticFiles.head(lookup.answer()));
    if (lookup.first() == null) {
      writeContent(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> responseComplete());
      front.flush();
      return;
    }
    open = lookup.channel();
    StaticFiles.Representation rep = lookup.answer().representation();
    if (lookup.answer() instanceof StaticFiles.Partial partial) {
      position = partial.range().first();
      remaining = partial.range().length();
    } else {
      position = 0;
      remaining = rep.size();
    }
    // The head is flushed with the first piece of the body: one TLS write, not two.
    writeChunk(lookup.first());
  }

  /**
   * Answers from a small file in memory, on the event loop: the conditional and Range fields decide the
   * status, and the body (if any) is a view of the shared bytes, flushed with the head.
   */
  private void sendSmall(StaticFileCache.Entry entry, boolean withBody) {
    StaticFiles.Answer answer = StaticFiles.evaluate(entry.representation(), request.headers());
    writeHead(StaticFiles.head(answer));
    ByteBuffer body = null;
    if (withBody && answer instanceof StaticFiles.Full) {
      body = entry.content().duplicate();
    } else if (withBody && answer instanceof StaticFiles.Partial partial) {
      int from = (int) partial.range().first();
      body = entry.content().duplicate().limit(from + (int) partial.range().length()).position(from);
    }
    if (body == null) {
      writeContent(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> responseComplete());
    } else {
      writeContent(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body))).addListener(f -> {
        if (f.isSuccess()) {
          responseComplete();
        } else {
          clientGone();
        }
      });
    }
    front.flush();
  }

  private void readNextChunk() {
    int length = (int) Math.min(CHUNK_BYTES, remaining);
    FileChannel channel = open;
    long from = position;
    try {
      files.execute(() -> {
        try {
          ByteBuf buffer = read(channel, from, length);
          front.eventLoop().execute(() -> writeChunk(buffer));
        } catch (IOException | RuntimeException e) {
          front.eventLoop().execute(() -> fileFailed(e));
        }
      });
    } catch (RejectedExecutionException e) {
      fileFailed(e);
    }
  }

  private void writeChunk(ByteBuf buffer) {
    if (isFinished()) {
      buffer.release();
      return;
    }
    position += buffer.readableBytes();
    remaining -= buffer.readableBytes();
    boolean last = remaining == 0;
    HttpContent content = last ? new DefaultLastHttpContent(buffer) : new DefaultHttpContent(buffer);
    writeContent(content).addListener(f -> {
      if (!f.isSuccess()) {
        clientGone();
      } else if (last) {
        closeOpenFile();
        responseComplete();
      } else {
        readNextChunk();
      }
    });
    front.flush();
  }

  private void fileFailed(Exception e) {
    LOG.log(Level.WARNING, "static file for " + info.uri() + ": " + e.getMessage() + "; response cut off");
    clientGone();
    front.abort();
  }

  @Override
  void clientGone() {
    closeOpenFile();
    finish();
  }

  private void closeOpenFile() {
    FileChannel channel = open;
    open = null;
    closeFile(channel);
  }

  private void closeFile(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      files.execute(() -> {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.log(Level.DEBUG, () -> "closing a static file: " + e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "file executor gone; static file left to the collector");
    }
  }
}
