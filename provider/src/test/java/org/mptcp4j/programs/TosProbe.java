package org.mptcp4j.programs;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.mptcp4j.Mptcp;

/**
 * One library channel (the JDK's dual-stack socket) to a listener on HOST in this process, with
 * {@code IP_TOS} 0x10 set before connect ({@code set}) or not ({@code none}); 1 MiB sent.
 * Usage: TosProbe HOST set|none. Prints the client's status and what getOption says.
 */
public final class TosProbe {
    public static void main(String[] args) throws Exception {
        boolean set = args[1].equals("set");
        try (ServerSocketChannel listener = Mptcp.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(args[0], 0));
            try (SocketChannel client = Mptcp.openSocketChannel()) {
                if (set) {
                    client.setOption(StandardSocketOptions.IP_TOS, 0x10);
                }
                client.connect(listener.getLocalAddress());
                try (SocketChannel accepted = listener.accept()) {
                    ByteBuffer out = ByteBuffer.allocate(1 << 20);
                    ByteBuffer in = ByteBuffer.allocate(1 << 20);
                    while (out.hasRemaining()) {
                        client.write(out);
                        accepted.read(in);
                    }
                    while (in.hasRemaining()) {
                        accepted.read(in);
                    }
                    System.out.println("STATUS " + Mptcp.status(client) + " tos=" + client.getOption(StandardSocketOptions.IP_TOS));
                    System.out.println("OK sent");
                }
            }
        }
    }
}
