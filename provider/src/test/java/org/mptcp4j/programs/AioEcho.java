package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Unmodified program, plain JDK API: AsynchronousSocketChannel echo on a channel group. Usage: AioEcho HOST. */
public final class AioEcho {
    public static void main(String[] args) throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2, Executors.defaultThreadFactory());
        try (AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group)) {
            server.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            var accepted = server.accept();
            try (AsynchronousSocketChannel c = AsynchronousSocketChannel.open(group)) {
                c.connect(new InetSocketAddress(args[0], port)).get(5, TimeUnit.SECONDS);
                try (AsynchronousSocketChannel s = accepted.get(5, TimeUnit.SECONDS)) {
                    ByteBuffer out = ByteBuffer.allocate(1 << 20);
                    ByteBuffer mid = ByteBuffer.allocate(1 << 20);
                    while (out.hasRemaining()) {
                        c.write(out).get(5, TimeUnit.SECONDS);
                    }
                    while (mid.hasRemaining()) {
                        s.read(mid).get(5, TimeUnit.SECONDS);
                    }
                    mid.flip();
                    while (mid.hasRemaining()) {
                        s.write(mid).get(5, TimeUnit.SECONDS);
                    }
                    ByteBuffer back = ByteBuffer.allocate(1 << 20);
                    while (back.hasRemaining()) {
                        c.read(back).get(5, TimeUnit.SECONDS);
                    }
                    System.out.println("OK " + back.position() + " groupProvider=" + group.provider().getClass().getSimpleName());
                }
            }
        } finally {
            group.shutdownNow();
        }
    }
}
