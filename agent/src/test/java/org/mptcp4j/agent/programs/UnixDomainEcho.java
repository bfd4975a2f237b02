package org.mptcp4j.agent.programs;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unmodified local IPC: a Unix-domain listener and client (JDK 16+), connected with {@code connect} and with
 * {@code SocketChannel.open(address)}, one message echoed. Prints {@code OK unix ping ping}.
 */
public final class UnixDomainEcho {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("mptcp4j-unix");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("socket"));
        StringBuilder got = new StringBuilder("OK unix");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(address);
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(address);
                got.append(' ').append(echo(c, listener));
            }
            try (SocketChannel c = SocketChannel.open(address)) {
                got.append(' ').append(echo(c, listener));
            }
        } finally {
            Files.deleteIfExists(address.getPath());
            Files.delete(dir);
        }
        System.out.println(got);
    }

    private static String echo(SocketChannel client, ServerSocketChannel listener) throws Exception {
        try (SocketChannel accepted = listener.accept()) {
            client.write(ByteBuffer.wrap("ping".getBytes()));
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && accepted.read(b) >= 0) {
                // until the four bytes are in
            }
            return new String(b.array(), 0, b.position());
        }
    }
}
