package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mptcp4j.Mptcp;

/**
 * The proxies' relay: one thread and one selector for every connection, so what a peer can make the
 * proxy hold is bounded: a connection limit (refused beyond it, one line per second saying so), an
 * upstream connect timeout, an idle timeout, and at most one pending chunk per direction (a peer
 * that stops reading stops the other side's reads: TCP's own backpressure, not the proxy's memory).
 * Idle connections hold no buffer at all.
 */
final class ProxyLoop {
    /** Limits, each one a thing a remote peer could otherwise make the proxy hold without end. */
    record Limits(int maxConnections, long idleMillis, long connectMillis) {}

    private static final int CHUNK = 64 << 10;

    private final ServerSocketChannel listener;
    private final InetSocketAddress to;
    private final boolean gateway;
    private final Limits limits;
    private final PrintStream out;
    private final Selector selector;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(CHUNK);
    private final Set<Pair> pairs = new LinkedHashSet<>();
    private int accepted;
    private long refused;
    private long reportedAt;

    ProxyLoop(ServerSocketChannel listener, InetSocketAddress to, boolean gateway, Limits limits, PrintStream out) throws IOException {
        this.listener = listener;
        this.to = to;
        this.gateway = gateway;
        this.limits = limits;
        this.out = out;
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Connections open now (for tests and the refusal line). */
    int open() {
        return pairs.size();
    }

    /** Relays until the thread is interrupted or the listener fails. */
    void run() throws IOException {
        long nextSweep = System.nanoTime() + 1_000_000_000L;
        while (!Thread.currentThread().isInterrupted()) {
            selector.select(1000);
            for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                try {
                    if (k.channel() == listener) {
                        acceptAll();
                    } else {
                        ((Pair) k.attachment()).ready(k);
                    }
                } catch (CancelledKeyException e) {
                    // closed by the other side of the pair in this round
                }
            }
            long now = System.nanoTime();
            if (now >= nextSweep) {
                sweep(now);
                nextSweep = now + 1_000_000_000L;
            }
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel in;
            try {
                in = listener.accept();
            } catch (IOException e) {
                // out of fds (EMFILE) and the like: say so once a second, and let the next round retry
                report("accept failed: " + e.getMessage());
                return;
            }
            if (in == null) {
                return;
            }
            if (pairs.size() >= limits.maxConnections()) {
                Relay.closeQuietly(in); // the refusal: TCP can carry no message here
                refused++;
                report("refusing connections: " + pairs.size() + " open, the limit (--max-conns " + limits.maxConnections() + "); "
                        + refused + " refused so far");
                continue;
            }
            int n = ++accepted;
            SocketChannel up = null;
            try {
                in.configureBlocking(false);
                up = gateway ? Mptcp.openSocketChannel() : SocketChannel.open();
                up.configureBlocking(false);
                Pair p = new Pair(n, in, up);
                pairs.add(p);
                p.upKey = up.register(selector, 0, p);
                p.inKey = in.register(selector, 0, p);
                if (up.connect(to)) {
                    p.connected();
                } else {
                    p.upKey.interestOps(SelectionKey.OP_CONNECT);
                }
            } catch (IOException e) {
                out.println("connection " + n + ": upstream " + to + " failed: " + e.getMessage());
                out.flush();
                Relay.closeQuietly(in);
                if (up != null) {
                    Relay.closeQuietly(up);
                }
                pairs.removeIf(x -> x.n == n);
            }
        }
    }

    private void report(String line) {
        long now = System.nanoTime();
        if (now - reportedAt >= 1_000_000_000L) {
            reportedAt = now;
            out.println(line);
            out.flush();
        }
    }

    /** Closes connections that waited too long for the upstream, or moved nothing for the idle timeout. */
    private void sweep(long now) {
        List<Pair> expired = new ArrayList<>();
        for (Pair p : pairs) {
            if (!p.isConnected && now - p.since > limits.connectMillis() * 1_000_000L) {
                out.println("connection " + p.n + ": upstream " + to + " did not answer within " + limits.connectMillis() / 1000 + " s");
                expired.add(p);
            } else if (limits.idleMillis() > 0 && now - p.lastActivity > limits.idleMillis() * 1_000_000L) {
                expired.add(p);
            }
        }
        for (Pair p : expired) {
            p.close();
        }
        out.flush();
    }

    /** One way of a pair: bytes from {@code src} to {@code dst}, with what {@code dst} has not taken yet. */
    private static final class Way {
        final SocketChannel src;
        final SocketChannel dst;
        ByteBuffer pending; // null when nothing waits: an idle connection holds no buffer
        boolean eof;
        boolean done; // EOF seen and passed on (dst's output shut)

        Way(SocketChannel src, SocketChannel dst) {
            this.src = src;
            this.dst = dst;
        }

        boolean wantsRead() {
            return !eof && pending == null;
        }
    }

    private final class Pair {
        final int n;
        final SocketChannel in;
        final SocketChannel up;
        final Way toUp;
        final Way toIn;
        final long since = System.nanoTime();
        long lastActivity = since;
        boolean isConnected;
        SelectionKey inKey;
        SelectionKey upKey;

        Pair(int n, SocketChannel in, SocketChannel up) {
            this.n = n;
            this.in = in;
            this.up = up;
            this.toUp = new Way(in, up);
            this.toIn = new Way(up, in);
        }

        void connected() throws IOException {
            isConnected = true;
            out.println("connection " + n + ": in " + Mptcp.status(in) + ", out " + Mptcp.status(up));
            out.flush();
            interest();
        }

        void ready(SelectionKey k) {
            try {
                if (k.isConnectable()) {
                    if (up.finishConnect()) {
                        connected();
                    }
                    return;
                }
                if (k.isWritable()) {
                    flush(k.channel() == up ? toUp : toIn);
                }
                if (k.isValid() && k.isReadable()) {
                    pump(k.channel() == in ? toUp : toIn);
                }
                if (toUp.done && toIn.done) {
                    close();
                } else if (k.isValid()) {
                    interest();
                }
            } catch (IOException e) {
                if (!isConnected) {
                    out.println("connection " + n + ": upstream " + to + " failed: " + e.getMessage());
                    out.flush();
                }
                close();
            }
        }

        /** Reads what {@code w.src} has and writes it on; what {@code w.dst} does not take waits in one chunk. */
        private void pump(Way w) throws IOException {
            scratch.clear();
            int r = w.src.read(scratch);
            if (r < 0) {
                w.eof = true;
                finish(w);
                return;
            }
            if (r == 0) {
                return;
            }
            lastActivity = System.nanoTime();
            scratch.flip();
            w.dst.write(scratch);
            if (scratch.hasRemaining()) {
                w.pending = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip(); // the reader is slow: stop reading its source
            }
        }

        private void flush(Way w) throws IOException {
            if (w.pending != null) {
                w.dst.write(w.pending);
                lastActivity = System.nanoTime();
                if (!w.pending.hasRemaining()) {
                    w.pending = null;
                    finish(w);
                }
            }
        }

        /** Passes EOF on once nothing is pending: a half-close, as TCP has it. */
        private void finish(Way w) throws IOException {
            if (w.eof && w.pending == null && !w.done) {
                w.done = true;
                w.dst.shutdownOutput();
            }
        }

        private void interest() {
            if (!isConnected) {
                return;
            }
            inKey.interestOps((toUp.wantsRead() ? SelectionKey.OP_READ : 0) | (toIn.pending != null ? SelectionKey.OP_WRITE : 0));
            upKey.interestOps((toIn.wantsRead() ? SelectionKey.OP_READ : 0) | (toUp.pending != null ? SelectionKey.OP_WRITE : 0));
        }

        void close() {
            if (pairs.remove(this)) {
                Relay.closeQuietly(in);
                Relay.closeQuietly(up);
            }
        }
    }
}
