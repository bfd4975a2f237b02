package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mptcp4j.Mptcp;

/** The data connections of one test: one thread per stream, sending or receiving, counting bytes. */
final class PerfStreams implements AutoCloseable {
    /** Bytes per read or write: four times iperf3's default, fewer system calls per byte for a Java sender. */
    static final int BLOCK = 512 << 10;

    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private AtomicLongArray bytes = new AtomicLongArray(0);
    private volatile boolean running;
    private boolean send;

    void add(SocketChannel channel) {
        channels.add(channel);
    }

    int size() {
        return channels.size();
    }

    SocketChannel channel(int index) {
        return channels.get(index);
    }

    /** iperf3's line for a new stream: its addresses, and here whether it is MPTCP. */
    void describe(int index, PrintStream out) throws IOException {
        SocketChannel s = channels.get(index);
        InetSocketAddress l = (InetSocketAddress) s.getLocalAddress();
        InetSocketAddress r = (InetSocketAddress) s.getRemoteAddress();
        out.printf(Locale.ROOT, "[%3d] local %s port %d connected to %s port %d (%s)%n", PerfMeter.socket(index),
                l.getAddress().getHostAddress(), l.getPort(), r.getAddress().getHostAddress(), r.getPort(), Mptcp.status(s));
        out.flush();
    }

    /** Starts one thread per stream. */
    void start(boolean send) {
        this.send = send;
        bytes = new AtomicLongArray(channels.size());
        running = true;
        for (int i = 0; i < channels.size(); i++) {
            int index = i;
            Thread t = new Thread(() -> move(index), "perf-stream-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void move(int index) {
        SocketChannel ch = channels.get(index);
        ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        try {
            while (running) {
                buf.clear();
                int n = send ? ch.write(buf) : ch.read(buf);
                if (n < 0) {
                    return;
                }
                bytes.addAndGet(index, n);
            }
        } catch (IOException e) {
            // the peer closed at the end of the test, or we did
        }
    }

    /** Bytes moved on each stream so far. */
    long[] counts() {
        long[] c = new long[bytes.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = bytes.get(i);
        }
        return c;
    }

    /** Stops moving data; a sender half-closes so the peer's reads end, as iperf3 does at TEST_END. */
    void stop() {
        running = false;
        if (send) {
            for (SocketChannel ch : channels) {
                try {
                    ch.shutdownOutput();
                } catch (IOException ignored) {
                    // already closed by the peer
                }
            }
        }
        for (Thread t : threads) {
            try {
                t.join(300); // a receiver blocked in read() ends when the peer closes; do not wait for that
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        channels.forEach(Relay::closeQuietly);
    }
}
