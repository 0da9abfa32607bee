package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One request body waiting on disk ({@link RequestBodyFiles} says where): the file and its open channel. Every
 * method does file I/O, so runs on the file executor, never on an event loop. Not thread-safe: {@link
 * RequestBodyBuffer} hands it to one file task at a time.
 */
final class RequestBodyFile {

  private static final System.Logger LOG = System.getLogger(RequestBodyFile.class.getName());

  private final Path path;
  private final FileChannel channel;

  private RequestBodyFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /** A new empty body file in the state directory, open for writing and reading back. */
  static RequestBodyFile create(Path stateDir) throws IOException {
    Path path = RequestBodyFiles.create(stateDir);
    try {
      return new RequestBodyFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (IOException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  Path path() {
    return path;
  }

  /** Appends all of {@code bytes} (leaves its reader index and reference count alone). */
  void append(ByteBuf bytes) throws IOException {
    ByteBuffer buffer = bytes.nioBuffer();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Reads up to {@code max} bytes from {@code position} into {@code into}; -1 at the end of the file. */
  int read(ByteBuf into, long position, int max) throws IOException {
    return into.writeBytes(channel, position, max);
  }

  /** Closes and deletes the file; a failure is logged, as there is nobody left to tell. */
  void delete() {
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete the buffered request body " + path + ": " + e.getMessage());
    }
  }
}
