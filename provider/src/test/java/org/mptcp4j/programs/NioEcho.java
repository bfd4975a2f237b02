package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** Unmodified program, plain JDK API: a Selector-driven echo server and a blocking client. Usage: NioEcho HOST. */
public final class NioEcho {
    public static void main(String[] args) throws Exception {
        try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread loop = new Thread(() -> serve(selector, server));
            loop.setDaemon(true);
            loop.start();
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress(args[0], port))) {
                boolean consistent = c.provider() == SelectorProvider.provider() && selector.provider() == SelectorProvider.provider();
                ByteBuffer out = ByteBuffer.allocate(1 << 20);
                long got = 0;
                ByteBuffer in = ByteBuffer.allocate(1 << 16);
                while (out.hasRemaining()) {
                    c.write(out);
                }
                while (got < out.capacity()) {
                    in.clear();
                    got += c.read(in);
                }
                System.out.println((got == out.capacity() ? "OK " : "SHORT ") + got + " providerConsistent=" + consistent);
            }
        }
    }

    private static void serve(Selector selector, ServerSocketChannel server) {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isAcceptable()) {
                        SocketChannel ch = server.accept();
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                    } else if (k.isReadable()) {
                        SocketChannel ch = (SocketChannel) k.channel();
                        buf.clear();
                        if (ch.read(buf) < 0) {
                            ch.close();
                            continue;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            ch.write(buf);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (Exception e) {
            // selector closed at exit
        }
    }
}
