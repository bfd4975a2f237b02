package org.mptcp4j.distribution;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.mptcp4j.Mptcp;

/** A program that uses the library: one MPTCP connection to itself; prints what the kernel says of both ends. Usage: LibraryEcho HOST. */
public final class LibraryEcho {
    public static void main(String[] args) throws Exception {
        try (ServerSocketChannel server = Mptcp.openServerSocketChannel()) {
            server.bind(new InetSocketAddress(args[0], 0));
            try (SocketChannel client = Mptcp.openSocketChannel()) {
                client.connect(server.getLocalAddress());
                try (SocketChannel accepted = server.accept()) {
                    client.write(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    accepted.read(one);
                    System.out.println("OK client=" + Mptcp.status(client) + " accepted=" + Mptcp.status(accepted) + " byte=" + one.get(0));
                }
            }
        }
    }
}
