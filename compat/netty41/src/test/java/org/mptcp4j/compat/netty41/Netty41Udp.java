package org.mptcp4j.compat.netty41;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.TreeSet;

/**
 * Unmodified Netty 4.1 epoll: a TCP client channel registered with its event loop and closed before it connects (as a
 * failed name resolution leaves one), then a connected UDP channel, likely on the fd number the TCP one had; three
 * times, each UDP channel sending one datagram to a JDK receiver on HOST. Usage: {@code Netty41Udp HOST}; prints
 * {@code OK a b c} once the receiver has the three.
 */
public final class Netty41Udp {
    public static void main(String[] args) throws Exception {
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try (DatagramChannel receiver = DatagramChannel.open()) {
            receiver.bind(new InetSocketAddress(args[0], 0));
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            for (char c : new char[] {'a', 'b', 'c'}) {
                Channel tcp = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                        .register().sync().channel();
                tcp.close().sync();
                Channel udp = new Bootstrap().group(group).channel(EpollDatagramChannel.class).handler(new ChannelInboundHandlerAdapter())
                        .connect(to).sync().channel();
                udp.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) c})).sync();
                udp.close().sync();
            }
            TreeSet<Character> got = new TreeSet<>(); // the stack's class path has no testbed: its own receive loop
            ByteBuffer b = ByteBuffer.allocate(8);
            while (got.size() < 3) { // blocking receive: the three were sent to this socket's own address
                b.clear();
                receiver.receive(b);
                got.add((char) b.get(0));
            }
            System.out.println("OK " + got.first() + " " + got.higher(got.first()) + " " + got.last());
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
