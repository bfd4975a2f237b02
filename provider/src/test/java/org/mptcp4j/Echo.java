package org.mptcp4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Test helper: an echo peer on a listener and a client that pushes N bytes through it and back. */
final class Echo {
    private Echo() {}

    /** Result of a round trip: digests of what was sent and what came back, and the statuses seen. */
    record RoundTrip(byte[] sentSha, byte[] receivedSha, long received, MptcpStatus client, MptcpStatus server) {}

    /** Accepts one connection on {@code listener}, echoes it, and pushes {@code bytes} through from {@code client}. */
    static RoundTrip roundTrip(ServerSocketChannel listener, SocketChannel client, long bytes) throws Exception {
        return roundTrip(listener, client, listener.getLocalAddress(), bytes);
    }

    /** As above, connecting the client to {@code target}. */
    static RoundTrip roundTrip(ServerSocketChannel listener, SocketChannel client, java.net.SocketAddress target, long bytes)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<MptcpStatus> serverSide = pool.submit(() -> {
                try (SocketChannel conn = listener.accept()) {
                    MptcpStatus status = Mptcp.status(conn);
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                    while (conn.read(buf) >= 0) {
                        buf.flip();
                        while (buf.hasRemaining()) {
                            conn.write(buf);
                        }
                        buf.clear();
                    }
                    return status;
                }
            });
            client.connect(target);
            MptcpStatus clientStatus = Mptcp.status(client);
            Future<byte[]> writer = pool.submit(() -> {
                MessageDigest sha = sha();
                byte[] chunk = new byte[1 << 16];
                long sent = 0;
                long seed = 0x9E3779B97F4A7C15L;
                while (sent < bytes) {
                    for (int i = 0; i < chunk.length; i += 8) {
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        ByteBuffer.wrap(chunk, i, 8).putLong(seed);
                    }
                    int n = (int) Math.min(chunk.length, bytes - sent);
                    sha.update(chunk, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                    while (b.hasRemaining()) {
                        client.write(b);
                    }
                    sent += n;
                }
                client.shutdownOutput();
                return sha.digest();
            });
            MessageDigest sha = sha();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long received = 0;
            for (int n; (n = client.read(buf)) >= 0; ) {
                sha.update(buf.array(), 0, n);
                received += n;
                buf.clear();
            }
            return new RoundTrip(writer.get(60, TimeUnit.SECONDS), sha.digest(), received, clientStatus,
                    serverSide.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
