package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneMessagePerReadTest {

  private final List<Object> received = new ArrayList<>();

  private EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAutoRead(false);
    ch.pipeline().addLast(new OneMessagePerRead(), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add(msg);
      }
    });
    return ch;
  }

  @Test
  void deliversOneMessagePerReadAndQueuesTheRest() {
    EmbeddedChannel ch = channel();
    ch.pipeline().fireChannelRead("a").fireChannelRead("b").fireChannelRead("c");
    assertThat(received).isEmpty();

    ch.read();
    assertThat(received).containsExactly("a");
    ch.read();
    ch.read();
    assertThat(received).containsExactly("a", "b", "c");
  }

  @Test
  void aReadStaysWantedAcrossReadsThatDecodedNothing() {
    EmbeddedChannel ch = channel();
    ch.read();
    ch.pipeline().fireChannelReadComplete();
    ch.pipeline().fireChannelRead("late");

    assertThat(received).containsExactly("late");
  }
}
