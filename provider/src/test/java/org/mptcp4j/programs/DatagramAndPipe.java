package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

/** Unmodified program: UDP and a pipe through a Selector must behave exactly as with the JDK's provider. */
public final class DatagramAndPipe {
    public static void main(String[] args) throws Exception {
        try (Selector sel = Selector.open(); DatagramChannel rx = DatagramChannel.open(); DatagramChannel tx = DatagramChannel.open()) {
            rx.bind(new InetSocketAddress("127.0.0.1", 0));
            rx.configureBlocking(false);
            rx.register(sel, SelectionKey.OP_READ);
            tx.send(ByteBuffer.wrap("udp".getBytes()), rx.getLocalAddress());
            sel.select(5000);
            ByteBuffer b = ByteBuffer.allocate(16);
            rx.receive(b);
            Pipe pipe = Pipe.open();
            pipe.sink().write(ByteBuffer.wrap("pipe".getBytes()));
            ByteBuffer p = ByteBuffer.allocate(16);
            pipe.source().read(p);
            boolean consistent = rx.provider() == SelectorProvider.provider() && pipe.source().provider() == SelectorProvider.provider();
            String got = new String(b.array(), 0, b.position()) + "+" + new String(p.array(), 0, p.position());
            System.out.println(got.equals("udp+pipe") ? "OK " + got + " providerConsistent=" + consistent : "BAD " + got);
        }
    }
}
