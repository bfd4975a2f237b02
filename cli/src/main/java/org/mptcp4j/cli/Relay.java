package org.mptcp4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/** Copies bytes one way between channels until EOF, then half-closes the writing side (cat's relay). */
final class Relay {
    private Relay() {}

    /** Copies {@code from} to {@code to} until EOF; returns the byte count. */
    static long copy(ReadableByteChannel from, WritableByteChannel to) throws IOException {
        return copy(from, to, new java.util.concurrent.atomic.AtomicLong());
    }

    /** Copies until EOF, adding each chunk to {@code progress} as it goes (for an idle bound); returns the byte count. */
    static long copy(ReadableByteChannel from, WritableByteChannel to, java.util.concurrent.atomic.AtomicLong progress) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(128 << 10);
        long total = 0;
        while (from.read(buf) >= 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                total += to.write(buf);
            }
            progress.set(total);
            buf.clear();
        }
        if (to instanceof SocketChannel) {
            ((SocketChannel) to).shutdownOutput();
        }
        return total;
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
