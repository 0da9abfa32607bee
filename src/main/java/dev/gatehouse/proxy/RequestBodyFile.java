package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One request body waiting on disk ({@link RequestBodyFiles} says where): the file and its open channel. Its
 * I/O runs on the file executor, never on an event loop; {@link #append} and {@link #read} hand what they did
 * back to the event loop, so that the {@link RequestBodyBuffer} that owns the file keeps its state there. Not
 * thread-safe: the owner gives it to one file task at a time, and deletes it only when none is running.
 */
final class RequestBodyFile {

  private static final System.Logger LOG = System.getLogger(RequestBodyFile.class.getName());

  /** What a write hands back: the file (null when it could not be created) and the failure, if any. */
  interface Appended {
    void done(RequestBodyFile file, IOException failed);
  }

  /** What a read hands back: the bytes read ({@code count} -1 at the end of the file), or the failure. */
  interface Read {
    void done(ByteBuf piece, int count, IOException failed);
  }

  private final Path path;
  private final FileChannel channel;

  private RequestBodyFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  Path path() {
    return path;
  }

  /**
   * On {@code files}: appends {@code bytes} (then releases them) to {@code file}, or to a new file in the state
   * directory when it is null; then on {@code loop}: {@code done}.
   */
  static void append(
      Executor files, EventExecutor loop, Path stateDir, RequestBodyFile file, ByteBuf bytes, Appended done) {
    files.execute(() -> {
      RequestBodyFile target = file;
      IOException failure = null;
      try {
        if (target == null) {
          target = create(stateDir);
        }
        target.write(bytes);
      } catch (IOException e) {
        failure = e;
      } finally {
        bytes.release();
      }
      RequestBodyFile written = target;
      IOException failed = failure;
      backOnEventLoop(loop, () -> done.done(written, failed), written, null);
    });
  }

  /** On {@code files}: reads up to {@code max} bytes from {@code position}; then on {@code loop}: {@code done}. */
  void read(Executor files, EventExecutor loop, ByteBufAllocator alloc, long position, int max, Read done) {
    files.execute(() -> {
      ByteBuf piece = alloc.directBuffer(max);
      int read;
      IOException failure = null;
      try {
        read = piece.writeBytes(channel, position, max);
      } catch (IOException e) {
        read = -1;
        failure = e;
      }
      int count = read;
      IOException failed = failure;
      backOnEventLoop(loop, () -> done.done(piece, count, failed), this, piece);
    });
  }

  /**
   * File executor: hands {@code task} to the event loop. One already shut down (the server stopping) runs
   * nothing more: the file and buffer the task would have taken care of go here.
   */
  private static void backOnEventLoop(EventExecutor loop, Runnable task, RequestBodyFile file, ByteBuf piece) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      if (piece != null) {
        piece.release();
      }
      if (file != null) {
        file.delete();
      }
    }
  }

  /** Closes and deletes the file; a failure is logged, as there is nobody left to tell. File executor only. */
  void delete() {
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete the buffered request body " + path + ": " + e.getMessage());
    }
  }

  private static RequestBodyFile create(Path stateDir) throws IOException {
    Path path = RequestBodyFiles.create(stateDir);
    try {
      return new RequestBodyFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  private void write(ByteBuf bytes) throws IOException {
    ByteBuffer buffer = bytes.nioBuffer();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
