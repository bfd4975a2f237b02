package org.mptcp4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/** Copies bytes one way between channels until EOF, then half-closes the writing side. */
final class Relay {
    private Relay() {}

    /** Copies {@code from} to {@code to} until EOF; returns the byte count. */
    static long copy(ReadableByteChannel from, WritableByteChannel to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(128 << 10);
        long total = 0;
        while (from.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                total += to.write(buf);
            }
            buf.clear();
        }
        if (to instanceof SocketChannel) {
            ((SocketChannel) to).shutdownOutput();
        }
        return total;
    }

    /** Both directions between two connected channels, each on its own thread; closes both at the end. */
    static void both(SocketChannel a, SocketChannel b, String name) {
        Thread up = new Thread(() -> quietly(a, b), name + "-up");
        Thread down = new Thread(() -> quietly(b, a), name + "-down");
        up.setDaemon(true);
        down.setDaemon(true);
        up.start();
        down.start();
        Thread closer = new Thread(() -> {
            try {
                up.join();
                down.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(a);
            closeQuietly(b);
        }, name + "-close");
        closer.setDaemon(true);
        closer.start();
    }

    private static void quietly(SocketChannel from, SocketChannel to) {
        try {
            copy(from, to);
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
