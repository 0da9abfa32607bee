package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body spilled to a file while its client disconnects, at each stage of the spill: while the file is being
 * created, while a later piece is written, between pieces, while the body is read back. The file executor is
 * a queue this test runs by hand, newest task first: a pool of threads gives no order, and a deletion queued
 * after a write may well run before it. Every time, the body folder must end empty and nothing may be logged at
 * WARNING or above, nor thrown on the event loop.
 */
class RequestBodyBufferTest {

  /** Bodies past 16 bytes go to a file. */
  private static final int MEMORY_BYTES = 16;
  private static final String HEAD =
      "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\n";

  @TempDir Path state;
  private final Deque<Runnable> fileTasks = new ArrayDeque<>();
  private final List<Object> passedOn = new ArrayList<>();
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Logger log = Logger.getLogger(RequestBodyBuffer.class.getName());
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private ClientChannel ch;

  @BeforeEach
  void pipeline() throws IOException {
    RequestBodyFiles.prepare(state);
    ServeConfig config = TestConfigs.serve(
        List.of(), 0, ClientChannel.LOCAL_PORT, state, Limits.DEFAULTS.withRequestBuffering(true, MEMORY_BYTES),
        List.of(), HstsPolicy.DEFAULT);
    ServerRuntime runtime = new ServerRuntime(
        config, Transport.detect(), new ChallengeResponses(), new HstsRamp(state, Clock.systemUTC()),
        AccessLogWriter.open(new AccessLog.Off()), fileTasks::push);
    log.addHandler(recorder);
    ch = ClientChannel.pulling(
        new HttpServerCodec(), new OneMessagePerRead(), new RequestBodyBuffer(runtime), new RecordingTail());
    ch.read();
  }

  @AfterEach
  void stopRecording() {
    log.removeHandler(recorder);
    passedOn.forEach(ReferenceCountUtil::release);
  }

  /** Stands in for the request handler: keeps what reaches it; reads only when the test says. */
  private final class RecordingTail extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      passedOn.add(msg);
    }
  }

  private void send(String bytes) {
    ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
    ch.runPendingTasks();
  }

  /** Runs queued file tasks, and what they hand back to the event loop, until neither has any left. */
  private void settle() {
    while (!fileTasks.isEmpty() || ch.hasPendingTasks()) {
      Runnable task = fileTasks.poll();
      if (task != null) {
        task.run();
      }
      ch.runPendingTasks();
    }
  }

  private List<Path> bodyFiles() {
    try (Stream<Path> files = Files.list(RequestBodyFiles.directory(state))) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void assertCleanedUp() {
    ch.checkException();
    assertThat(bodyFiles()).as("body files left").isEmpty();
    assertThat(warnings).extracting(LogRecord::getMessage).as("logged at WARNING or above").isEmpty();
  }

  @Test
  void disconnectWhileTheBodyFileIsBeingCreated() {
    send(HEAD + "x".repeat(40));
    assertThat(fileTasks).as("the first spill is queued").hasSize(1);

    ch.close();
    settle();

    assertCleanedUp();
  }

  @Test
  void disconnectWhileALaterPieceIsBeingWritten() {
    send(HEAD + "x".repeat(40));
    settle();
    assertThat(bodyFiles()).hasSize(1);
    send("y".repeat(20));
    assertThat(fileTasks).as("the second write is queued").hasSize(1);

    ch.close();
    settle();

    assertCleanedUp();
  }

  @Test
  void disconnectBetweenPieces() {
    send(HEAD + "x".repeat(40));
    settle();
    assertThat(bodyFiles()).hasSize(1);

    ch.close();
    settle();

    assertCleanedUp();
  }

  @Test
  void disconnectWhileTheBodyIsReadBack() {
    send(HEAD + "x".repeat(100));
    settle();
    assertThat(passedOn).singleElement().isInstanceOf(HttpRequest.class);
    ch.read();
    settle();
    ch.read();
    assertThat(fileTasks).as("a read of the file is queued").hasSize(1);

    ch.close();
    settle();

    assertCleanedUp();
    assertThat(passedOn).as("the head and the part kept in memory; nothing after the disconnect")
        .hasSize(2).noneMatch(m -> m instanceof LastHttpContent);
  }

  @Test
  void aBodyReadBackWholeIsPassedOnAndItsFileDeleted() {
    send(HEAD + "x".repeat(100));
    settle();
    while (passedOn.stream().noneMatch(m -> m instanceof LastHttpContent)) {
      ch.read();
      settle();
    }

    long bytes = passedOn.stream().filter(m -> m instanceof HttpContent)
        .mapToLong(m -> ((HttpContent) m).content().readableBytes()).sum();
    assertThat(bytes).isEqualTo(100);
    assertCleanedUp();
  }

  @Test
  void aWriteThatFailsAfterTheClientLeftIsDropped() throws IOException {
    Files.delete(RequestBodyFiles.directory(state));
    send(HEAD + "x".repeat(40));

    ch.close();
    settle();

    ch.checkException();
    assertThat(RequestBodyFiles.directory(state)).doesNotExist();
  }
}
